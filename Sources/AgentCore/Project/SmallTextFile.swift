import Foundation

/// Reads the short text files that shape the context (AGENTS.md, command files) in bounded
/// memory: at most `limit` bytes are read, however large the file is.
enum SmallTextFile {
    struct Contents {
        /// The text read, cut at a character boundary when the file was longer than the limit.
        var text: String
        /// The file's whole size in bytes.
        var size: Int
        var isCut: Bool { text.utf8.count < size }
    }

    enum Failure: Error, Equatable {
        case missing
        /// A directory, pipe, socket or device.
        case notAFile
        case binary
        case notUTF8
        case unreadable(String)
    }

    static func read(_ path: String, limit: Int) -> Result<Contents, Failure> {
        switch TextFiles.kind(atPath: path) {
        case .missing: return .failure(.missing)
        case .directory, .special: return .failure(.notAFile)
        case .file: break
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        defer { try? handle.close() }
        let data: Data
        let size: Int
        do {
            data = try handle.read(upToCount: max(0, limit)) ?? Data()
            let end = try handle.seekToEnd()
            size = end > UInt64(Int.max) ? Int.max : Int(end)
        } catch {
            return .failure(.unreadable(TextFiles.reason(error)))
        }
        if TextFiles.isBinary(data.prefix(TextFiles.sniffLength)) { return .failure(.binary) }
        let bytes = size > data.count ? TextFiles.withoutPartialCharacterAtEnd([UInt8](data)[...]) : [UInt8](data)[...]
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        return .success(Contents(text: text, size: max(size, data.count)))
    }
}

extension SmallTextFile.Failure {
    /// Completes "… is skipped: <reason>".
    var reason: String {
        switch self {
        case .missing: "it does not exist"
        case .notAFile: "it is not a regular file"
        case .binary: "it is a binary file"
        case .notUTF8: "it is not UTF-8 text"
        case .unreadable(let why): why
        }
    }
}
