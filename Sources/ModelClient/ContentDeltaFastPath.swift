/// Reads the one chunk shape that makes up nearly all of a streamed answer — a single text
/// delta — without JSONDecoder, which cost most of the CPU of streaming (10–20 µs a chunk).
/// Both wires have one: an OpenAI-compatible SSE chunk (`{"choices":[{"delta":{"content":…}}]}`)
/// and a line of Ollama's NDJSON (`{"message":{"role":"assistant","content":…},"done":false}`).
///
/// One pass over the chunk, string by string: every string is skipped whole (escapes included),
/// so each quote the scan stops at opens a string, and a match there is a real key or value. A
/// chunk with a second `content`, or with any key that carries more than plain text, or with a
/// finish reason (Ollama: `done` anything but `false`), is refused and takes the full decoder;
/// so is anything not shaped as expected. Keys are compared as written by the servers (no
/// space around the colon); a chunk written otherwise is refused, which costs time, not text.
enum ContentDeltaFastPath {
    enum Wire {
        /// `data:` payloads of OpenAI-compatible servers.
        case openAI
        /// Lines of Ollama's `/api/chat`.
        case ollama
    }

    /// The text of a chunk whose only payload is one text delta; nil for any other chunk.
    static func content(_ bytes: UnsafeBufferPointer<UInt8>, wire: Wire = .openAI) -> String? {
        var out: [UInt8] = []
        guard appendContent(of: bytes, to: &out, wire: wire) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the text of a chunk whose only payload is one text delta to `out` and returns true;
    /// for any other chunk returns false and leaves `out` as it was.
    static func appendContent(of bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], wire: Wire = .openAI) -> Bool {
        let mark = out.count
        guard scan(bytes, into: &out, wire: wire) else {
            if out.count > mark { out.removeSubrange(mark...) }
            return false
        }
        return true
    }

    /// The scan itself; on false, `out` may hold part of a refused chunk's text.
    private static func scan(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], wire: Wire) -> Bool {
        var found = false
        var sawDone = false
        var sawMessage = false
        var i = 0
        while true {
            // Outside strings only a quote matters; a backslash there is malformed and passed by.
            i = nextQuoteOrBackslash(b, from: i)
            guard i < b.count else { break }
            guard b[i] == UInt8(ascii: "\"") else {
                i += 1
                continue
            }
            // One test on the string's first letter passes most strings by.
            let first = i + 1 < b.count ? b[i + 1] : 0
            if first == UInt8(ascii: "c"), matches(#""content":""#, in: b, at: i) {
                // Ollama's text is the message's: a `content` before `"message":{` is not it.
                guard !found, wire == .openAI || sawMessage, let end = decodeString(b, from: i + 11, into: &out) else { return false }
                found = true
                i = end + 1
                continue
            }
            switch wire {
            case .openAI:
                if disqualifiesOpenAI(first, b, at: i) { return false }
            case .ollama:
                switch ollamaKey(first, b, at: i, sawMessage: &sawMessage, sawDone: &sawDone) {
                case .refuse: return false
                case .goOn(let next):
                    i = next
                    continue
                case .otherString: break
                }
            }
            i = skipString(b, openedAt: i)
            // A string left open is not JSON; the decoder says so.
            guard i < b.count else { return false }
            i += 1
        }
        return found
    }

    /// A key of an OpenAI chunk that carries more than plain text, at the quote `i`.
    private static func disqualifiesOpenAI(_ first: UInt8, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch first {
        case UInt8(ascii: "t"): return matches(#""tool_calls""#, in: b, at: i)
        case UInt8(ascii: "r"): return matches(#""reasoning"#, in: b, at: i)
        case UInt8(ascii: "u"): return matches(#""usage""#, in: b, at: i)
        case UInt8(ascii: "e"): return matches(#""error""#, in: b, at: i)
        case UInt8(ascii: "f"): return matches(#""finish_reason":""#, in: b, at: i)
        case UInt8(ascii: "m"): return matches(#""message""#, in: b, at: i)
        default: return false
        }
    }

    private enum Step {
        case refuse
        /// A key read with its value; the scan goes on at the index.
        case goOn(Int)
        /// Any other string, to be skipped.
        case otherString
    }

    /// Ollama's `"message":{` and `"done":false` (each once), and the keys that refuse a line.
    private static func ollamaKey(
        _ first: UInt8, _ b: UnsafeBufferPointer<UInt8>, at i: Int, sawMessage: inout Bool, sawDone: inout Bool
    ) -> Step {
        if first == UInt8(ascii: "m"), matches(#""message":{"#, in: b, at: i) {
            guard !sawMessage else { return .refuse }
            sawMessage = true
            return .goOn(i + 11)
        }
        if first == UInt8(ascii: "d"), matches(#""done":"#, in: b, at: i) {
            // `"done":false` once; `true` ends the answer and carries its counts.
            guard !sawDone, matches("false", in: b, at: i + 7) else { return .refuse }
            sawDone = true
            return .goOn(i + 12)
        }
        return disqualifiesOllama(first, b, at: i) ? .refuse : .otherString
    }

    /// A key of an Ollama line that carries more than plain text, at the quote `i`.
    private static func disqualifiesOllama(_ first: UInt8, _ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch first {
        case UInt8(ascii: "t"): return matches(#""thinking""#, in: b, at: i) || matches(#""tool_calls""#, in: b, at: i)
        case UInt8(ascii: "e"): return matches(#""error""#, in: b, at: i)
        case UInt8(ascii: "d"): return matches(#""done_reason""#, in: b, at: i)
        default: return false
        }
    }

    private static func matches(_ needle: StaticString, in haystack: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard start + count <= haystack.count else { return false }
        let bytes = needle.utf8Start
        for k in 0..<count where haystack[start + k] != bytes[k] { return false }
        return true
    }

    /// The index of the quote that closes the string opened at `start` (or the end of the bytes).
    private static func skipString(_ b: UnsafeBufferPointer<UInt8>, openedAt start: Int) -> Int {
        var i = start + 1
        while true {
            i = nextQuoteOrBackslash(b, from: i)
            guard i < b.count else { return b.count }
            if b[i] == UInt8(ascii: "\"") { return i }
            i += 2
        }
    }

    /// The index of the first quote or backslash at or after `start`, or the end of the bytes.
    /// Eight bytes at a time: a byte equal to the quote (or the backslash) is a zero byte of the
    /// word XOR-ed with it, and `(x - 0x01…) & ~x & 0x80…` marks zero bytes. A borrow can mark
    /// a byte above a real zero byte but never one below it, so the lowest mark is exact.
    @inline(__always)
    private static func nextQuoteOrBackslash(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = b.baseAddress else { return b.count }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i + 8 <= b.count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
            let marks = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs
            if marks != 0 { return i + marks.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
        return i
    }

    /// Decodes a JSON string body starting after its opening quote onto `out`; returns the index
    /// of the closing quote, or nil on anything malformed (leaving partial bytes for the caller).
    /// Runs of plain bytes are appended whole.
    private static func decodeString(_ b: UnsafeBufferPointer<UInt8>, from start: Int, into out: inout [UInt8]) -> Int? {
        var i = start
        while i < b.count {
            var end = i
            while end < b.count, b[end] != UInt8(ascii: "\""), b[end] != UInt8(ascii: "\\"), b[end] >= 0x20 { end += 1 }
            if end > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<end])) }
            guard end < b.count else { return nil }
            if b[end] == UInt8(ascii: "\"") { return end }
            guard b[end] == UInt8(ascii: "\\"), let next = decodeEscape(b, at: end, into: &out) else { return nil }
            i = next
        }
        return nil
    }

    /// Decodes the escape at the backslash `i` onto `out`; returns the index after it, or nil.
    private static func decodeEscape(_ b: UnsafeBufferPointer<UInt8>, at start: Int, into out: inout [UInt8]) -> Int? {
        guard start + 1 < b.count else { return nil }
        var i = start + 2
        switch b[start + 1] {
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
        return i
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
