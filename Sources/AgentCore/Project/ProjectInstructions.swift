import AgentProtocol
import Foundation

/// The AGENTS.md files that reach the model in the system prompt, as Codex reads them: the
/// global `$XDG_CONFIG_HOME/agent/AGENTS.md` first, then one per folder from the git
/// repository's root down to the working folder (outside a repository, the working folder's
/// alone). A deeper file comes later, so its more specific word is the last the model reads.
///
/// Invariant: the texts of `files` add up to at most `maxTotalBytes` bytes of UTF-8; a file that
/// did not fit whole is cut at a character boundary and marked, and the files after it are
/// listed with no text.
public struct ProjectInstructions: Sendable, Equatable {
    public static let fileName = "AGENTS.md"
    /// Codex's default too: enough for real guidance, bounded for small models' windows.
    public static let maxTotalBytes = 32 * 1024

    public struct File: Sendable, Equatable {
        /// The absolute path, as the prompt and `/context` show it.
        public var path: String
        /// What reaches the model (possibly cut; empty when the budget was used up before it).
        public var text: String
        /// The file's size in bytes.
        public var size: Int
        public var isCut: Bool { text.utf8.count < size }
    }

    public private(set) var files: [File] = []
    /// The byte budget the files shared.
    public private(set) var limit = maxTotalBytes
    /// One line each, for the front end to show at start: files that were cut, left out or unreadable.
    public private(set) var warnings: [String] = []

    public init() {}

    /// Collects the files for an agent started in `workspace`; `globalDirectory` is agent's
    /// config folder (`$XDG_CONFIG_HOME/agent`). Reads nothing else and never runs git.
    public static func load(workspace: URL, globalDirectory: String, limit: Int = maxTotalBytes) -> ProjectInstructions {
        var folders = [URL(fileURLWithPath: globalDirectory)]
        let leaf = workspace.standardizedFileURL
        folders += ProjectRoot.gitRoot(containing: leaf).map { ProjectRoot.chain(from: $0, to: leaf) } ?? [leaf]
        var result = ProjectInstructions()
        result.limit = max(0, limit)
        var seen: Set<String> = []
        var remaining = max(0, limit)
        for folder in folders {
            let path = folder.appendingPathComponent(fileName).path
            guard seen.insert(WorkspacePaths.canonicalize(path)).inserted else { continue }
            result.add(path: path, remaining: &remaining, limit: limit)
        }
        return result
    }

    private mutating func add(path: String, remaining: inout Int, limit: Int) {
        switch SmallTextFile.read(path, limit: remaining) {
        case .failure(.missing):
            return
        case .failure(let failure):
            warnings.append("\(path) is skipped: \(failure.reason)")
        case .success(let contents):
            let text = contents.text
            if text.trimmedWhitespace().isEmpty && !contents.isCut { return }
            files.append(File(path: path, text: text, size: contents.size))
            remaining -= text.utf8.count
            if contents.isCut {
                remaining = 0  // a cut file used the budget up, even when a partial character was left
                let kept = text.utf8.count
                warnings.append(kept == 0
                    ? "\(path) is left out: the \(limit / 1024) KiB limit for AGENTS.md files was used up"
                    : "\(path) was cut to \(kept) of its \(contents.size) bytes (AGENTS.md files share a \(limit / 1024) KiB limit)")
            }
        }
    }

    /// The section appended to the system prompt, or nil when there is no file.
    public var promptSection: String? {
        guard !files.isEmpty else { return nil }
        var parts = ["# Project instructions (AGENTS.md)\n"
            + "Follow them. Where two disagree, the later (deeper) file wins; the user's own words win over both."]
        for file in files {
            parts.append(section(for: file))
        }
        return parts.joined(separator: "\n\n")
    }

    /// One file's heading and text, with a note when it was cut.
    public func section(for file: File) -> String {
        var text = "## " + file.path + "\n" + file.text
        if file.isCut {
            if !text.hasSuffix("\n") { text += "\n" }
            text += file.text.isEmpty
                ? "[left out: the \(limit / 1024) KiB limit for AGENTS.md files was used up]"
                : "[cut: only the first \(file.text.utf8.count) of \(file.size) bytes fit the limit for AGENTS.md files]"
        }
        return text
    }

    /// `systemPrompt` followed by the instructions, when there are any.
    public func appended(to systemPrompt: String) -> String {
        guard let section = promptSection else { return systemPrompt }
        return systemPrompt + "\n\n" + section
    }
}
