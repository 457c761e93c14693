import AgentProtocol
import Foundation

/// `write_file`: creates or replaces a whole file, atomically.
public struct WriteFileTool: Tool {
    public static let name = "write_file"

    public init() {}

    public var isMutating: Bool { true }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "Create or overwrite a file with the given content.",
            parameters: [
                "type": "object",
                "properties": [
                    "path": ["type": "string"],
                    "content": ["type": "string"],
                ],
                "required": ["path", "content"],
            ]
        )
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let path = try arguments.string("path")
        let content = try arguments.string("content")
        let file = context.paths.resolve(path)
        let existing: String?
        do throws(ToolError) {
            existing = try TextFiles.readIfPresent(file)
        } catch {
            // Outside the workspace the model must not learn about a file before the user
            // approves; `run` reports the problem then.
            guard file.isInsideWorkspace else { return makePlan(file, preview: nil, path: path, context: context) }
            throw error
        }
        return makePlan(
            file, preview: Self.preview(of: content, replacing: existing, at: file), path: path, context: context)
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let file = try context.checkedPath(try arguments.string("path"))
        let content = try arguments.string("content")
        let existed: Bool
        switch TextFiles.kind(atPath: file.path) {
        case .directory: throw ToolError("\(file.display) is a directory, not a file")
        case .special: throw TextFiles.notRegular(file)
        case .file: existed = true
        case .missing: existed = false
        }
        try AtomicFileWriter.replaceContents(of: file, with: content)
        let lines = TextFiles.lines(of: content).count
        return "\(existed ? "Overwrote" : "Created") \(file.display) (\(lines) \(lines == 1 ? "line" : "lines"))"
    }

    private func makePlan(_ file: ResolvedPath, preview: String?, path: String, context: ToolContext) -> ToolPlan {
        ToolPlan(summary: "write_file \(file.display)", preview: preview, outsidePaths: context.outsidePaths([path]),
                 changedPaths: [file.path])
    }

    /// "new file, N lines" for a new file, otherwise a unified diff (capped) or "no changes".
    static func preview(of content: String, replacing existing: String?, at file: ResolvedPath) -> String {
        guard let existing else {
            let lines = TextFiles.lines(of: content).count
            return "new file, \(lines) \(lines == 1 ? "line" : "lines")"
        }
        let diff = UnifiedDiff.diff(old: existing, new: content, oldName: file.display, newName: file.display)
        return diff.isEmpty ? "no changes" : cappedPreview(diff)
    }

    /// An approval prompt should fit on a screen or two; the file itself is written in full.
    static func cappedPreview(_ diff: String, maxLines: Int = 400) -> String {
        let lines = TextFiles.lines(of: diff)
        guard lines.count > maxLines else { return diff }
        return lines.prefix(maxLines).joined(separator: "\n") + "\n[… \(lines.count - maxLines) more diff lines]\n"
    }
}
