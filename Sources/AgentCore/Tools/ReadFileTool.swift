import AgentProtocol
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `read_file`: a window of a text file, numbered like `cat -n`.
///
/// Invariant: the output never exceeds `maxLines` lines nor about `maxBytes` bytes, and whenever
/// lines were left out it ends with a note naming the `offset` that continues.
public struct ReadFileTool: Tool {
    public static let name = "read_file"
    public static let maxLines = 2_000
    public static let maxBytes = 256 * 1024
    /// Longer lines (minified code, data) are cut so one line cannot use up the whole budget.
    public static let maxLineLength = 2_000

    public init() {}

    public var isMutating: Bool { false }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "Read a text file; lines are numbered.",
            parameters: [
                "type": "object",
                "properties": [
                    "path": ["type": "string"],
                    "offset": ["type": "integer", "description": "first line, 1-based"],
                    "limit": ["type": "integer", "description": "max lines (2000)"],
                ],
                "required": ["path"],
            ]
        )
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let path = try arguments.string("path")
        _ = try window(arguments)
        return ToolPlan(
            summary: "read_file \(context.paths.resolve(path).display)", outsidePaths: context.outsidePaths([path])
        )
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let file = try context.checkedPath(try arguments.string("path"))
        let (offset, limit) = try window(arguments)
        switch TextFiles.kind(atPath: file.path) {
        case .missing: throw ToolError("file not found: \(file.display)")
        case .directory: throw ToolError("\(file.display) is a directory; use list_dir")
        case .special: throw TextFiles.notRegular(file)
        case .file: break
        }
        guard let handle = FileHandle(forReadingAtPath: file.path) else {
            throw ToolError("cannot open \(file.display): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }

        var reader = WindowReader(offset: offset, limit: limit)
        var isFirstChunk = true
        while true {
            let chunk: Data
            do {
                guard let data = try handle.read(upToCount: 64 * 1024), !data.isEmpty else { break }
                chunk = data
            } catch {
                throw ToolError("cannot read \(file.display): \(TextFiles.reason(error))")
            }
            if isFirstChunk, TextFiles.isBinary(chunk.prefix(TextFiles.sniffLength)) {
                throw ToolError("\(file.display) is a binary file; read_file only reads text")
            }
            isFirstChunk = false
            reader.consume(chunk)
        }
        reader.finish()
        return try reader.result(for: file)
    }

    private func window(_ arguments: ToolArguments) throws(ToolError) -> (offset: Int, limit: Int) {
        let offset = try arguments.optionalInt("offset") ?? 1
        let limit = try arguments.optionalInt("limit") ?? Self.maxLines
        guard offset >= 1 else { throw ToolError("offset must be 1 or more (lines are numbered from 1)") }
        guard limit >= 1 else { throw ToolError("limit must be 1 or more") }
        return (offset, min(limit, Self.maxLines))
    }
}

/// Splits a file into lines as its chunks arrive, keeping only the requested window and counting
/// the rest, so a huge log costs memory for the window alone.
private struct WindowReader {
    let offset: Int
    let limit: Int
    /// The number of the line being read.
    var lineNumber = 1
    var current: [UInt8] = []
    var currentDropped = 0
    var currentHasBytes = false
    var shown: [String] = []
    var shownBytes = 0
    var cappedByBytes = false
    var lastShown = 0

    init(offset: Int, limit: Int) {
        self.offset = offset
        self.limit = limit
    }

    var isCollecting: Bool {
        lineNumber >= offset && shown.count < limit && !cappedByBytes
    }

    mutating func consume(_ chunk: Data) {
        chunk.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var position = 0
            while position < buffer.count {
                let remaining = buffer.count - position
                let newline = memchr(base + position, Int32(UInt8(ascii: "\n")), remaining)
                let end = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? buffer.count
                if isCollecting {
                    append(UnsafeRawBufferPointer(rebasing: buffer[position..<end]))
                }
                if end > position { currentHasBytes = true }
                if newline == nil { break }
                endLine()
                position = end + 1
            }
        }
    }

    mutating func finish() {
        if currentHasBytes { endLine() }
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let room = ReadFileTool.maxLineLength - current.count
        if bytes.count <= room {
            current.append(contentsOf: bytes)
        } else {
            current.append(contentsOf: bytes.prefix(room))
            currentDropped += bytes.count - room
        }
    }

    private mutating func endLine() {
        if isCollecting {
            let text = format()
            if shownBytes + text.utf8.count + 1 > ReadFileTool.maxBytes {
                cappedByBytes = true
            } else {
                shown.append(text)
                shownBytes += text.utf8.count + 1
                lastShown = lineNumber
            }
        }
        lineNumber += 1
        current.removeAll(keepingCapacity: true)
        currentDropped = 0
        currentHasBytes = false
    }

    private func format() -> String {
        var bytes = current[...]
        var dropped = currentDropped
        if dropped > 0 {
            let whole = TextFiles.withoutPartialCharacterAtEnd(bytes)
            dropped += bytes.count - whole.count
            bytes = whole
        } else if bytes.last == UInt8(ascii: "\r") {
            bytes = bytes.dropLast()
        }
        let number = String(lineNumber)
        var line = String(repeating: " ", count: max(0, 6 - number.count)) + number + "\t"
        line += String(decoding: bytes, as: UTF8.self)
        if dropped > 0 { line += " … [line cut, \(dropped) more bytes]" }
        return line
    }

    func result(for file: ResolvedPath) throws(ToolError) -> String {
        let total = lineNumber - 1
        if total == 0 { return "(\(file.display) is empty)" }
        if offset > total {
            throw ToolError("offset \(offset) is past the end of \(file.display), which has \(total) lines")
        }
        var text = shown.joined(separator: "\n")
        if lastShown < total {
            let cap = cappedByBytes ? "output capped at \(ReadFileTool.maxBytes / 1024) KB; " : ""
            text +=
                "\n[\(cap)showed lines \(offset)-\(lastShown) of \(total); use offset=\(lastShown + 1) to read more]"
        }
        return text
    }
}
