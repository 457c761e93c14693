import AgentProtocol
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `search_files`: lines matching a regular expression, as `path:line: text`.
///
/// Skips the folders `DirectoryWalker` skips, symlinks (one could lead out of the workspace),
/// binary files, files over `maxFileSize`, anything that is not a regular file of known size
/// (pipes, devices, /proc entries), and never descends into /proc, /sys or /dev. Bounded in
/// matches (`maxMatches`) and time (`timeLimit`); a regex that backtracks without end is stopped
/// when the time is up, and a cancelled call stops within milliseconds.
public struct SearchFilesTool: Tool {
    public static let name = "search_files"
    public static let maxMatches = 200
    public static let maxFileSize = 5 * 1024 * 1024
    public static let maxLineLength = 300
    public static let defaultTimeLimit: Duration = .seconds(10)

    /// How long one call may search.
    public let timeLimit: Duration

    public init(timeLimit: Duration = defaultTimeLimit) {
        self.timeLimit = timeLimit
    }

    public var isMutating: Bool { false }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "Search file contents with a regex; returns path:line: text.",
            parameters: [
                "type": "object",
                "properties": [
                    "pattern": ["type": "string"],
                    "path": ["type": "string", "description": "file or directory, default ."],
                    "glob": ["type": "string", "description": "file name filter, e.g. *.swift"],
                ],
                "required": ["pattern"],
            ]
        )
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let pattern = try arguments.string("pattern")
        _ = try Self.regex(pattern)
        let path = try arguments.optionalString("path") ?? "."
        _ = try arguments.optionalString("glob")
        return ToolPlan(
            summary: "search_files /\(pattern)/ in \(context.paths.resolve(path).display)",
            outsidePaths: context.outsidePaths([path])
        )
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let pattern = try arguments.string("pattern")
        let regex = try Self.regex(pattern)
        let root = try context.checkedPath(try arguments.optionalString("path") ?? ".")
        let glob = try arguments.optionalString("glob").flatMap { $0.isEmpty ? nil : $0 }
        if let system = DirectoryWalker.virtualFileSystem(containing: root.path) {
            throw ToolError("search_files does not search \(system): its files are made up by the kernel and some never end")
        }
        switch TextFiles.kind(atPath: root.path) {
        case .missing: throw ToolError("path not found: \(root.display)")
        case .special: throw TextFiles.notRegular(root)
        case .file, .directory: break
        }
        let budget = SearchBudget(limit: timeLimit)
        // Off the cooperative pool: a search is blocking work, and the budget (not the task)
        // is what stops it, within milliseconds of a cancellation.
        let search = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<FileSearch, Never>) in
                DispatchQueue.global().async {
                    done.resume(returning: Self.search(regex, budget: budget, root: root, glob: glob))
                }
            }
        } onCancel: {
            budget.cancel()
        }
        return try Self.report(search, pattern: pattern, root: root, glob: glob, limit: timeLimit)
    }

    private static func search(_ regex: NSRegularExpression, budget: SearchBudget, root: ResolvedPath, glob: String?)
        -> FileSearch
    {
        var search = FileSearch(regex: regex, budget: budget)
        guard TextFiles.kind(atPath: root.path) == .directory else {
            search.scanFile(root.path, shownAs: root.display)
            return search
        }
        let prefix = root.display == "." ? "" : root.display.hasSuffix("/") ? root.display : root.display + "/"
        let unreadable = DirectoryWalker.walk(root.path, maxDepth: 64) { entry in
            if entry.isRegularFile, glob.map({ Self.matches($0, entry) }) ?? true {
                search.scanFile(entry.absolutePath, shownAs: prefix + entry.relativePath)
            }
            return search.canContinue && budget.stop == nil
        }
        search.unreadableNote = DirectoryWalker.note(unreadable, under: prefix)
        return search
    }

    private static func report(
        _ search: FileSearch, pattern: String, root: ResolvedPath, glob: String?, limit: Duration
    ) throws(ToolError) -> String {
        var lines = search.lines
        switch search.stopped ?? search.budget.stop {
        case .cancelled?:
            throw ToolError("search_files was cancelled")
        case .timedOut?:
            let note = "search_files stopped after \(limit.components.seconds) s (its time limit)"
            guard !lines.isEmpty else {
                throw ToolError(note + " without a match; narrow the path or glob, or simplify the pattern")
            }
            lines.append("[\(note); these are the matches found until then]")
        case nil:
            if lines.isEmpty {
                lines.append("no matches for /\(pattern)/ in \(root.display)" + (glob.map { " (files \($0))" } ?? ""))
            } else if lines.count >= maxMatches {
                lines.append("[stopped at \(maxMatches) matches; narrow the pattern, path or glob]")
            }
        }
        if search.skippedLargeFiles > 0 {
            lines.append("[skipped \(search.skippedLargeFiles) files over \(maxFileSize / 1024 / 1024) MB]")
        }
        if let note = search.unreadableNote { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    static func regex(_ pattern: String) throws(ToolError) -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        } catch {
            throw ToolError("pattern is not a valid regular expression: \(pattern)")
        }
    }

    /// A glob with a "/" is matched against the path below the search root, any other against
    /// the file name alone.
    static func matches(_ glob: String, _ entry: DirectoryWalker.Entry) -> Bool {
        if glob.contains("/") { return fnmatch(glob, entry.relativePath, 0) == 0 }
        let name = entry.relativePath.split(separator: "/").last.map(String.init) ?? entry.relativePath
        return fnmatch(glob, name, 0) == 0
    }
}
