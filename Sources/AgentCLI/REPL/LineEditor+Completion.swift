@preconcurrency import CLibEdit
import Foundation
import Synchronization

/// Tab completion at the prompt, through libedit's readline-compatible hooks: slash commands
/// (built-in and custom) at the start of the line, paths after `@` (files and folders, relative
/// to the working folder; a folder completes with `/`). Elsewhere Tab inserts nothing, so prose
/// never fills with file names.
extension LineEditor {
    /// The command names offered, with their slash; set once the REPL knows the custom commands.
    private static let commandNames = Mutex<[String]>([])

    static func installCompletion(commands: [String]) {
        commandNames.withLock { $0 = Array(Set(commands)).sorted() }
        rl_attempted_completion_function = { text, start, _ in
            LineEditor.complete(text: text.map { String(cString: $0) } ?? "", start: Int(start))
        }
    }

    /// libedit asks for matches of `text`, the word that begins at `start` in the line; `@` is
    /// one of libedit's word breaks, so after `@path` the word is `path`.
    private static func complete(text: String, start: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1
        let line = rl_line_buffer.map { String(cString: $0) } ?? ""
        let before = Array(line.utf8.prefix(start))
        if before.last == UInt8(ascii: "@") {
            return rl_completion_matches(text, rl_filename_completion_function)
        }
        guard start == 0 || before.allSatisfy({ $0 == UInt8(ascii: " ") }), text.hasPrefix("/") else { return nil }
        return rl_completion_matches(text) { partial, state in
            LineEditor.nextCommand(partial.map { String(cString: $0) } ?? "", state: Int(state))
        }
    }

    /// The `state`-th command name starting with `prefix`, malloc'd for libedit, or nil past the last.
    private static func nextCommand(_ prefix: String, state: Int) -> UnsafeMutablePointer<CChar>? {
        let matches = commandNames.withLock { names in names.filter { $0.hasPrefix(prefix) } }
        guard state >= 0, state < matches.count else { return nil }
        return strdup(matches[state])
    }
}
