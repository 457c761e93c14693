/// Shortens a tool result for what is sent (never for what is stored): its head and its tail,
/// with a line in between saying how much was cut. The head gets three fifths: what a command
/// printed first and how it ended are usually what matters.
public enum ToolResultCut {
    /// About what the note in the middle costs, for callers sizing a cut.
    public static let noteBytes = 110

    /// `text` cut to about `keepBytes` bytes of UTF-8, at character boundaries; unchanged when it
    /// is no longer than that. `what` names the text in the note (a compaction cuts messages too).
    public static func cut(_ text: String, keepBytes: Int, what: String = "tool result") -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > keepBytes else { return text }
        let keep = max(0, keepBytes)
        var headEnd = keep * 3 / 5
        var tailStart = bytes.count - (keep - headEnd)
        while headEnd > 0, isContinuation(bytes[headEnd]) { headEnd -= 1 }
        while tailStart < bytes.count, isContinuation(bytes[tailStart]) { tailStart += 1 }
        let cutBytes = tailStart - headEnd
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        let tail = String(decoding: bytes[tailStart...], as: UTF8.self)
        return head + "\n[… \(cutBytes) bytes of this \(what) cut here to fit the model's context window …]\n" + tail
    }

    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
