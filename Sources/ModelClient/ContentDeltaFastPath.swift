/// Reads the one chunk shape that makes up nearly all of a streamed answer — a single text
/// delta — without JSONDecoder, which cost most of the CPU of streaming (10–20 µs a chunk).
///
/// Safe by construction: inside a JSON string every quote is escaped, so a raw `"tool_calls"`,
/// `"usage"` or a second `"content":"` can only be keys. A chunk with any key that carries more
/// than plain text, or with a finish reason, returns nil and takes the full decoder.
enum ContentDeltaFastPath {
    private static let contentKey = Array(#""content":""#.utf8)
    private static let disqualifying: [[UInt8]] = [
        #""tool_calls""#, #""reasoning"#, #""usage""#, #""error""#, #""finish_reason":""#, #""message""#,
    ].map { Array($0.utf8) }

    static func content(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let start = find(contentKey, in: bytes, from: 0) else { return nil }
        let valueStart = start + contentKey.count
        guard find(contentKey, in: bytes, from: valueStart) == nil else { return nil }
        for key in disqualifying where find(key, in: bytes, from: 0) != nil { return nil }
        return decodeString(bytes, from: valueStart)
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Decodes a JSON string body starting after its opening quote; nil on anything malformed.
    private static func decodeString(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var i = start
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
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
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
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
