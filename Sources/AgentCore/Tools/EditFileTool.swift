import AgentProtocol
import Foundation

/// `edit_file`: replaces an exact piece of text in a file, atomically.
///
/// Invariant: without `replace_all` the file changes only when `old_string` occurs exactly once,
/// so an edit never lands somewhere the model did not mean.
public struct EditFileTool: Tool {
    public static let name = "edit_file"

    public init() {}

    public var isMutating: Bool { true }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "Replace exact text in a file. old_string must match once unless replace_all.",
            parameters: [
                "type": "object",
                "properties": [
                    "path": ["type": "string"],
                    "old_string": ["type": "string"],
                    "new_string": ["type": "string"],
                    "replace_all": ["type": "boolean"],
                ],
                "required": ["path", "old_string", "new_string"],
            ]
        )
    }

    struct Request {
        var path: String
        var oldString: String
        var newString: String
        var replaceAll: Bool
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let request = try Self.request(arguments)
        let file = context.paths.resolve(request.path)
        let outside = context.outsidePaths([request.path])
        let summary = "edit_file \(file.display)"
        let edited: (before: String, after: String)
        do throws(ToolError) {
            let before = try TextFiles.readExisting(file)
            edited = (before, try Self.apply(request, to: before, file: file).text)
        } catch {
            // Outside the workspace the model must not learn about a file before the user
            // approves; `run` reports the problem then.
            guard file.isInsideWorkspace else {
                return ToolPlan(summary: summary, outsidePaths: outside, changedPaths: [file.path])
            }
            throw error
        }
        let diff = UnifiedDiff.diff(old: edited.before, new: edited.after, oldName: file.display, newName: file.display)
        return ToolPlan(
            summary: summary, preview: WriteFileTool.cappedPreview(diff), outsidePaths: outside, changedPaths: [file.path])
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let request = try Self.request(arguments)
        let file = try context.checkedPath(request.path)
        let before = try TextFiles.readExisting(file)
        let edited = try Self.apply(request, to: before, file: file)
        try AtomicFileWriter.replaceContents(of: file, with: edited.text)
        let times = edited.count == 1 ? "1 occurrence" : "\(edited.count) occurrences"
        return "Edited \(file.display): replaced \(times)"
    }

    static func request(_ arguments: ToolArguments) throws(ToolError) -> Request {
        let request = Request(
            path: try arguments.string("path"),
            oldString: try arguments.string("old_string"),
            newString: try arguments.string("new_string"),
            replaceAll: try arguments.optionalBool("replace_all") ?? false
        )
        if request.oldString.isEmpty {
            throw ToolError("old_string is empty; to create or replace a whole file use write_file")
        }
        // Bytes, not String ==, which calls canonically equivalent spellings equal.
        if request.oldString.utf8.elementsEqual(request.newString.utf8) {
            throw ToolError("old_string and new_string are the same; nothing would change")
        }
        return request
    }

    /// The file's new text and how many occurrences were replaced.
    static func apply(_ request: Request, to text: String, file: ResolvedPath) throws(ToolError) -> (
        text: String, count: Int
    ) {
        let haystack = Array(text.utf8)
        var needle = Array(request.oldString.utf8)
        var replacement = Array(request.newString.utf8)
        var matches = occurrences(of: needle, in: haystack)
        // Models copy text from read_file, which shows CRLF lines without their "\r".
        if matches.isEmpty, text.utf8.contains(UInt8(ascii: "\r")), !request.oldString.contains("\r\n") {
            needle = crlf(needle)
            replacement = crlf(replacement)
            matches = occurrences(of: needle, in: haystack)
        }
        if matches.isEmpty {
            throw ToolError(
                "old_string not found in \(file.display); read the file and copy the exact text, including whitespace"
            )
        }
        if matches.count > 1 && !request.replaceAll {
            throw ToolError(
                "old_string appears \(matches.count) times in \(file.display); "
                    + "include more surrounding lines to make it unique, or set replace_all to true"
            )
        }
        var result: [UInt8] = []
        result.reserveCapacity(haystack.count + matches.count * (replacement.count - needle.count))
        var position = 0
        for start in matches {
            result += haystack[position..<start]
            result += replacement
            position = start + needle.count
        }
        result += haystack[position...]
        return (String(decoding: result, as: UTF8.self), matches.count)
    }

    /// Start offsets of the non-overlapping occurrences of `needle`, left to right. Bytes, not
    /// Characters: a Character comparison would not find "\n" inside a "\r\n" grapheme.
    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard let first = needle.first, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        var start = 0
        let lastStart = haystack.count - needle.count
        while start <= lastStart {
            guard let candidate = haystack[start...lastStart].firstIndex(of: first) else { break }
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) {
                found.append(candidate)
                start = candidate + needle.count
            } else {
                start = candidate + 1
            }
        }
        return found
    }

    private static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { result.append(UInt8(ascii: "\r")) }
            result.append(byte)
        }
        return result
    }
}
