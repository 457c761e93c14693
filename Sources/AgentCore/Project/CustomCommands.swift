import Foundation

/// The custom slash commands available in a folder: `.agent/commands/NAME.md` of the project
/// and `$XDG_CONFIG_HOME/agent/commands/NAME.md` of the user.
///
/// Precedence: a built-in command always wins (the file is skipped with a warning); a project
/// file wins over a global file of the same name, since the repository's definition is the one
/// its team shares and reviews. Names are the file names in lower case, letters, digits, `-`
/// and `_` only.
public struct CustomCommands: Sendable, Equatable {
    /// Sorted by name, at most one per name.
    public private(set) var commands: [CustomCommand] = []
    /// One line each: skipped files and why.
    public private(set) var warnings: [String] = []

    /// Larger files are skipped: a prompt this long is a mistake, and reading it costs start-up time.
    public static let maxFileBytes = 64 * 1024

    public init() {}

    /// The folder project commands live in: `.agent/commands` at the repository's root, or in
    /// `workspace` outside a repository.
    public static func projectDirectory(workspace: URL) -> URL {
        let root = ProjectRoot.gitRoot(containing: workspace) ?? workspace.standardizedFileURL
        return root.appendingPathComponent(".agent/commands")
    }

    /// Loads both folders; `reserved` holds the built-in names (without `/`), which files cannot take.
    public static func load(workspace: URL, globalDirectory: String, reserved: Set<String>) -> CustomCommands {
        var result = CustomCommands()
        let global = URL(fileURLWithPath: globalDirectory).appendingPathComponent("commands")
        var byName: [String: CustomCommand] = [:]
        for (folder, origin) in [(global, CustomCommand.Origin.global), (projectDirectory(workspace: workspace), .project)] {
            for command in result.read(folder, origin: origin, reserved: reserved) {
                byName[command.name] = command  // project, read last, wins
            }
        }
        result.commands = byName.values.sorted { $0.name < $1.name }
        return result
    }

    public func command(named name: String) -> CustomCommand? {
        let key = name.hasPrefix("/") ? String(name.dropFirst()).lowercased() : name.lowercased()
        return commands.first { $0.name == key }
    }

    private mutating func read(_ folder: URL, origin: CustomCommand.Origin, reserved: Set<String>) -> [CustomCommand] {
        let entries: [String]
        switch FolderListing.names(folder.path) {
        case .success(let names): entries = names
        case .failure(.missing): return []
        case .failure(let failure):
            warnings.append("\(folder.path) is skipped: it cannot be read (\(failure))")
            return []
        }
        var found: [CustomCommand] = []
        for entry in entries.sorted() where entry.hasSuffix(".md") {
            let path = folder.appendingPathComponent(entry).path
            let name = String(entry.dropLast(3)).lowercased()
            guard Self.isValidName(name) else {
                warnings.append("\(path) is skipped: a command name uses only letters, digits, - and _")
                continue
            }
            if reserved.contains(name) {
                warnings.append("\(path) is skipped: /\(name) is a built-in command, which wins")
                continue
            }
            switch SmallTextFile.read(path, limit: Self.maxFileBytes) {
            case .failure(let failure):
                warnings.append("\(path) is skipped: \(failure.reason)")
            case .success(let contents) where contents.isCut:
                warnings.append("\(path) is skipped: it is larger than \(Self.maxFileBytes / 1024) KiB")
            case .success(let contents):
                found.append(Self.command(name: name, text: contents.text, path: path, origin: origin))
            }
        }
        return found
    }

    static func command(name: String, text: String, path: String, origin: CustomCommand.Origin) -> CustomCommand {
        let matter = FrontMatter(parsing: text)
        let firstLine = matter.body.split(separator: "\n").lazy
            .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
        let summary = firstLine.count > 70 ? String(firstLine.prefix(69)) + "…" : firstLine
        return CustomCommand(
            name: name, description: matter.fields["description"] ?? summary,
            argumentHint: matter.fields["argument-hint"], body: matter.body, path: path, origin: origin)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
        }
    }
}
