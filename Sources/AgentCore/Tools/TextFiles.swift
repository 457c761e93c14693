import Foundation

/// Reading files as text, shared by the file tools so they agree on what "binary" means.
enum TextFiles {
    /// How much of a file is sniffed for NUL bytes, like git and grep do.
    static let sniffLength = 8 * 1024

    static func isBinary(_ prefix: some Sequence<UInt8>) -> Bool {
        prefix.contains(0)
    }

    enum Kind {
        case missing, directory, file
        /// A pipe, socket or device: reading one can block forever or never end.
        case special
    }

    /// What is at `path`, following symlinks.
    static func kind(atPath path: String) -> Kind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .special
        }
    }

    static func notRegular(_ file: ResolvedPath) -> ToolError {
        ToolError("\(file.display) is not a regular file (it is a device, pipe or socket)")
    }

    /// The UTF-8 text of a file that must exist, for tools that rewrite it.
    static func readExisting(_ file: ResolvedPath) throws(ToolError) -> String {
        guard let text = try readIfPresent(file) else {
            throw ToolError("file not found: \(file.display)")
        }
        return text
    }

    /// The UTF-8 text of a file, or nil when there is no file there yet.
    static func readIfPresent(_ file: ResolvedPath) throws(ToolError) -> String? {
        switch kind(atPath: file.path) {
        case .missing:
            return nil
        case .directory:
            throw ToolError("\(file.display) is a directory, not a file")
        case .special:
            throw notRegular(file)
        case .file:
            break
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file.path))
        } catch {
            throw ToolError("cannot read \(file.display): \(reason(error))")
        }
        if isBinary(data.prefix(sniffLength)) {
            throw ToolError("\(file.display) is a binary file; only text files can be edited")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ToolError("\(file.display) is not valid UTF-8 text; it cannot be edited safely")
        }
        return text
    }

    /// Splits text into lines at "\n" (a "\r\n" ending stays on its line as "\r"), the way `wc -l`
    /// and `cat -n` count them: a final line without "\n" still counts, a trailing "\n" adds none.
    static func lines(of text: String) -> [Substring] {
        // Scan bytes: as Characters "\r\n" is one grapheme that never equals "\n", and String's
        // subscript would round a split inside it down to a Character boundary.
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == UInt8(ascii: "\n") {
                lines.append(Substring(text.unicodeScalars[start..<index]))
                start = next
            }
            index = next
        }
        if start < utf8.endIndex { lines.append(Substring(text.unicodeScalars[start...])) }
        return lines
    }

    /// `bytes` without a trailing UTF-8 sequence that a cut left incomplete.
    static func withoutPartialCharacterAtEnd(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let lead = bytes.lastIndex(where: { $0 & 0xC0 != 0x80 }), bytes[lead] >= 0xC0 else { return bytes }
        let length: Int
        switch bytes[lead] {
        case 0xF0...: length = 4
        case 0xE0...: length = 3
        default: length = 2
        }
        return bytes.endIndex - lead < length ? bytes[..<lead] : bytes
    }

    /// `bytes` without leading continuation bytes, the rest of a character a cut split.
    static func withoutPartialCharacterAtStart(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.drop { $0 & 0xC0 == 0x80 }
    }

    /// One short line for an error from Foundation or the OS.
    static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
