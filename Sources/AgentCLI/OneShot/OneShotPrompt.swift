import AgentProtocol
import AgentCore

/// `-p "/name arguments"`: a prompt that is a custom command's name runs that command, as in
/// the REPL. Built-in commands belong to the conversation and are refused with a sentence; so is
/// an unknown `/word`, rather than sending a typo to the model. A prompt whose first word is a
/// path (`/usr/bin/env …`, a second `/`) is sent as it is.
enum OneShotPrompt {
    static func expand(_ prompt: String, commands: CustomCommands) -> Result<String, OneShotPromptError> {
        let trimmed = prompt.trimmedWhitespace()
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return .success(prompt) }
        let word = trimmed.prefix { !$0.isWhitespace }
        guard !word.dropFirst().contains("/"), word.count > 1 else { return .success(prompt) }
        let name = word.dropFirst().lowercased()
        let arguments = String(trimmed.dropFirst(word.count))
        if let command = commands.command(named: name) { return .success(command.prompt(arguments: arguments)) }
        if SlashCommand.builtInNames.contains(name) { return .failure(.interactiveOnly(name)) }
        return .failure(.unknown(name, available: commands.commands.map(\.name)))
    }
}

enum OneShotPromptError: Error, Equatable, CustomStringConvertible {
    case interactiveOnly(String)
    case unknown(String, available: [String])

    var description: String {
        switch self {
        case .interactiveOnly(let name):
            "/\(name) is a command of the conversation; start agent without -p to use it"
        case .unknown(let name, let available):
            "unknown command /\(name); "
                + (available.isEmpty
                    ? "custom commands are markdown files in .agent/commands/ (see docs/context.md)"
                    : "custom commands: " + available.map { "/" + $0 }.joined(separator: ", "))
        }
    }
}
