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
/// binary files and files over `maxFileSize`.
public struct SearchFilesTool: Tool {
    public static let name = "search_files"
    public static let maxMatches = 200
    public static let maxFileSize = 5 * 1024 * 1024
    public static let maxLineLength = 300

    public init() {}

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

        var search = Search(regex: regex)
        switch TextFiles.kind(atPath: root.path) {
        case .missing:
            throw ToolError("path not found: \(root.display)")
        case .special:
            throw TextFiles.notRegular(root)
        case .file:
            search.scanFile(root.path, shownAs: root.display)
        case .directory:
            let prefix = root.display == "." ? "" : root.display.hasSuffix("/") ? root.display : root.display + "/"
            DirectoryWalker.walk(root.path, maxDepth: 64) { entry in
                guard entry.isRegularFile else { return true }
                if let glob, !Self.matches(glob, entry) { return true }
                search.scanFile(entry.absolutePath, shownAs: prefix + entry.relativePath)
                return search.lines.count < Self.maxMatches
            }
        }
        if Task.isCancelled { throw ToolError("search_files was cancelled") }

        var lines = search.lines
        if lines.isEmpty {
            lines.append("no matches for /\(pattern)/ in \(root.display)" + (glob.map { " (files \($0))" } ?? ""))
        } else if lines.count >= Self.maxMatches {
            lines.append("[stopped at \(Self.maxMatches) matches; narrow the pattern, path or glob]")
        }
        if search.skippedLargeFiles > 0 {
            lines.append("[skipped \(search.skippedLargeFiles) files over \(Self.maxFileSize / 1024 / 1024) MB]")
        }
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

/// The matches found so far, in walk order.
private struct Search {
    let regex: NSRegularExpression
    var lines: [String] = []
    var skippedLargeFiles = 0

    init(regex: NSRegularExpression) {
        self.regex = regex
    }

    mutating func scanFile(_ path: String, shownAs display: String) {
        guard lines.count < SearchFilesTool.maxMatches, !Task.isCancelled else { return }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > SearchFilesTool.maxFileSize {
            skippedLargeFiles += 1
            return
        }
        guard let data = FileManager.default.contents(atPath: path),
            !TextFiles.isBinary(data.prefix(TextFiles.sniffLength))
        else { return }
        let text = String(decoding: data, as: UTF8.self)
        scanText(text, shownAs: display)
    }

    /// One regex pass over the whole file (far cheaper than one per line); each match is mapped
    /// to its line by counting newlines since the previous one, and a line is reported once.
    private mutating func scanText(_ text: String, shownAs display: String) {
        let utf8 = text.utf8
        var line = 1
        var scanned = text.startIndex
        var lineStart = text.startIndex
        var lastReported = 0
        var found: [String] = []
        let room = SearchFilesTool.maxMatches - lines.count
        regex.enumerateMatches(in: text, range: NSRange(text.startIndex..., in: text)) { result, _, stop in
            guard let result, let range = Range(result.range, in: text) else { return }
            let start = range.lowerBound
            while scanned < start {
                if utf8[scanned] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = utf8.index(after: scanned)
                }
                scanned = utf8.index(after: scanned)
            }
            // An empty match after the final newline is on no line at all.
            guard line != lastReported, !(start == text.endIndex && lineStart == text.endIndex) else { return }
            lastReported = line
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            var content = Substring(text.unicodeScalars[lineStart..<lineEnd])
            if content.unicodeScalars.last == "\r" { content = Substring(content.unicodeScalars.dropLast()) }
            if content.count > SearchFilesTool.maxLineLength {
                content = Substring(content.prefix(SearchFilesTool.maxLineLength) + "…")
            }
            found.append("\(display):\(line): \(content)")
            if found.count >= room { stop.pointee = true }
        }
        lines += found
    }
}
