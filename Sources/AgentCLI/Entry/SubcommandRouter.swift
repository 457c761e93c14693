import ArgumentParser

/// Finds the subcommand in a command line: `agent config`, and also `agent -m x config` or
/// `agent --profile fast sessions list`, where options come first.
///
/// The chat command takes free-form prompt words, which would swallow the subcommand names, so
/// the first positional word is checked before parsing: if it names a subcommand, that
/// subcommand runs with the options that came before it. With `-p` the words are always the
/// prompt (`agent -p config`); without it a prompt that starts with such a word goes after
/// `--` (`agent -- config the router`), or as one quoted argument (`agent "config the router"`).
enum SubcommandRouter {
    static func route(_ arguments: [String]) -> (command: any ParsableCommand.Type, arguments: [String]) {
        if let first = arguments.first, let sub = AgentCommand.routed[first] {
            return (sub, Array(arguments.dropFirst()))
        }
        guard let index = subcommandIndex(in: arguments), let sub = AgentCommand.routed[arguments[index]] else {
            return (AgentCommand.self, arguments)
        }
        // `agent -m x sessions show ID` → `sessions show ID -m x`: a nested subcommand name
        // must come first, and the options are accepted after it.
        return (sub, Array(arguments[(index + 1)...]) + Array(arguments[..<index]))
    }

    /// The index of the first positional argument when it names a subcommand. A word that is
    /// the value of an option (`-m config`) is not positional: removing it would change how
    /// the rest parses, which is how it is told apart without a table of options.
    static func subcommandIndex(in arguments: [String]) -> Int? {
        // Parsing builds the whole argument parser, which costs start-up time: only when a
        // subcommand's name is there at all. A failed parse is reported by the real one later.
        guard arguments.contains(where: { AgentCommand.routed[$0] != nil }),
            let parsed = try? AgentCommand.parseAsRoot(arguments) as? AgentCommand, !parsed.printMode,
            let word = parsed.prompt.first, AgentCommand.routed[word] != nil
        else { return nil }
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        for index in arguments[..<end].indices where arguments[index] == word {
            var rest = arguments
            rest.remove(at: index)
            if let reparsed = try? AgentCommand.parseAsRoot(rest) as? AgentCommand,
                reparsed.prompt == Array(parsed.prompt.dropFirst())
            {
                return index
            }
        }
        return nil
    }
}
