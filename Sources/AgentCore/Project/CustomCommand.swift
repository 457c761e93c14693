import AgentProtocol
import Foundation

/// A slash command a team or a user wrote as a markdown file: the body is the prompt, with
/// `$ARGUMENTS` replaced by what follows the command's name.
public struct CustomCommand: Sendable, Equatable {
    public enum Origin: String, Sendable {
        /// `.agent/commands/` of the repository (or of the working folder outside one).
        case project
        /// `$XDG_CONFIG_HOME/agent/commands/`.
        case global
    }

    /// Lower-case, without the slash: `review` for `review.md`.
    public var name: String
    /// From the front matter's `description`, else the body's first line.
    public var description: String
    /// From the front matter's `argument-hint`, shown after the name in `/help`.
    public var argumentHint: String?
    public var body: String
    public var path: String
    public var origin: Origin

    public init(name: String, description: String, argumentHint: String?, body: String, path: String, origin: Origin) {
        self.name = name
        self.description = description
        self.argumentHint = argumentHint
        self.body = body
        self.path = path
        self.origin = origin
    }

    /// The prompt for `/name arguments`: every `$ARGUMENTS` replaced by `arguments`. A body that
    /// never mentions `$ARGUMENTS` gets non-empty arguments appended after a blank line, so
    /// nothing the user typed is silently dropped.
    public func prompt(arguments: String) -> String {
        let arguments = arguments.trimmedWhitespace()
        let body = self.body.trimmedWhitespace()
        if body.contains("$ARGUMENTS") {
            return body.replacingOccurrences(of: "$ARGUMENTS", with: arguments)
        }
        return arguments.isEmpty ? body : body + "\n\n" + arguments
    }
}
