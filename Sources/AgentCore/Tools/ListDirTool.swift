import AgentProtocol
import Foundation

/// `list_dir`: the entries of a folder, a few levels deep, sorted, folders marked with "/".
///
/// Paths are printed relative to the workspace (absolute outside it), so the model can pass any
/// line straight to `read_file`.
public struct ListDirTool: Tool {
    public static let name = "list_dir"
    public static let maxDepth = 5
    public static let maxEntries = 500

    public init() {}

    public var isMutating: Bool { false }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "List a directory; subdirectories end with /.",
            parameters: [
                "type": "object",
                "properties": [
                    "path": ["type": "string", "description": "default ."],
                    "depth": ["type": "integer", "description": "levels, 1-5 (default 1)"],
                ],
            ]
        )
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let path = try arguments.optionalString("path") ?? "."
        _ = try depth(arguments)
        return ToolPlan(
            summary: "list_dir \(context.paths.resolve(path).display)", outsidePaths: context.outsidePaths([path])
        )
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let folder = try context.checkedPath(try arguments.optionalString("path") ?? ".")
        let depth = try depth(arguments)
        switch TextFiles.kind(atPath: folder.path) {
        case .missing: throw ToolError("directory not found: \(folder.display)")
        case .file: throw ToolError("\(folder.display) is a file, not a directory; use read_file")
        case .special: throw ToolError("\(folder.display) is not a directory")
        case .directory: break
        }
        guard FileManager.default.isReadableFile(atPath: folder.path) else {
            throw ToolError("cannot read directory \(folder.display): permission denied")
        }

        let prefix = folder.display == "." ? "" : folder.display.hasSuffix("/") ? folder.display : folder.display + "/"
        var lines: [String] = []
        var truncated = false
        let unreadable = DirectoryWalker.walk(folder.path, maxDepth: depth) { entry in
            guard lines.count < Self.maxEntries else {
                truncated = true
                return false
            }
            lines.append(prefix + entry.relativePath + (entry.isDirectory ? "/" : ""))
            return true
        }
        let note = DirectoryWalker.note(unreadable, under: prefix)
        if lines.isEmpty { return note ?? "(\(folder.display) is empty)" }
        if truncated {
            lines.append("[stopped at \(Self.maxEntries) entries; list a subdirectory or use a smaller depth]")
        }
        if let note { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    private func depth(_ arguments: ToolArguments) throws(ToolError) -> Int {
        let depth = try arguments.optionalInt("depth") ?? 1
        guard depth >= 1 else { throw ToolError("depth must be 1 or more") }
        return min(depth, Self.maxDepth)
    }
}
