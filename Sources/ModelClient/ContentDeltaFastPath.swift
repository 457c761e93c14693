/// Reads the one chunk shape that makes up nearly all of a streamed answer — a single text
/// delta — without JSONDecoder, which cost most of the CPU of streaming (10–20 µs a chunk).
///
/// One pass over the chunk, string by string: every string is skipped whole (escapes included),
/// so each quote the scan stops at opens a string, and a match there is a real key or value. A
/// chunk with a second `content`, or with any key that carries more than plain text, or with a
/// finish reason, is refused and takes the full decoder; so is anything not shaped as expected.
enum ContentDeltaFastPath {
    private static let contentKey = Array(#""content":""#.utf8)
    private static let disqualifying: [[UInt8]] = [
        #""tool_calls""#, #""reasoning"#, #""usage""#, #""error""#, #""finish_reason":""#, #""message""#,
    ].map { Array($0.utf8) }
    /// Which bytes a disqualifying key's name begins with, to pass most strings by with one test.
    private static let beginsDisqualifying: [Bool] = (0..<256).map { (byte: Int) in
        disqualifying.contains { Int($0[1]) == byte }
    }

    /// The text of a chunk whose only payload is one text delta; nil for any other chunk.
    static func content(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        guard appendContent(of: bytes, to: &out) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text of a chunk whose only payload is one text delta to `out` and returns true;
    /// for any other chunk returns false and leaves `out` as it was.
    static func appendContent(of bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        let contentKey = Self.contentKey, disqualifying = Self.disqualifying, begins = Self.beginsDisqualifying
        let mark = out.count
        var found = false
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\"") else {
                i += 1
                continue
            }
            if matches(contentKey, in: bytes, at: i) {
                guard !found, let end = decodeString(bytes, from: i + contentKey.count, into: &out) else {
                    out.removeSubrange(mark...)
                    return false
                }
                found = true
                i = end + 1
                continue
            }
            if i + 1 < bytes.count, begins[Int(bytes[i + 1])] {
                for key in disqualifying where matches(key, in: bytes, at: i) {
                    out.removeSubrange(mark...)
                    return false
                }
            }
            i = skipString(bytes, openedAt: i) + 1
        }
        return found
    }

    private static func matches(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + needle.count <= haystack.count else { return false }
        for k in 1..<needle.count where haystack[start + k] != needle[k] { return false }
        return true
    }

    /// The index of the quote that closes the string opened at `start` (or the end of the bytes).
    private static func skipString(_ b: UnsafeBufferPointer<UInt8>, openedAt start: Int) -> Int {
        var i = start + 1
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i
            default: i += 1
            }
        }
        return b.count
    }

    /// Decodes a JSON string body starting after its opening quote onto `out`; returns the index
    /// of the closing quote, or nil on anything malformed (leaving partial bytes for the caller).
    private static func decodeString(_ b: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8]) -> Int? {
        var i = start
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return i }
            if c < 0x20 { return nil }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < b.count else { return nil }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(b, at: i) else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 6 <= b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(b, at: i + 2), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return nil
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                return nil
            }
        }
        return nil
    }

    private static func hex4(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
