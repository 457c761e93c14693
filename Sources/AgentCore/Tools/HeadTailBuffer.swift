/// Collects a stream of bytes in bounded memory, keeping its beginning and its end: a command's
/// first lines say what it did, its last lines hold the error and the summary.
///
/// Invariant: `head.count <= headLimit`, and at most `tailLimit` bytes of the tail are kept
/// once `text` is read; `totalBytes` counts every byte ever appended.
struct HeadTailBuffer: Sendable {
    let headLimit: Int
    let tailLimit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var totalBytes = 0

    /// Keeps at most `limit` bytes: half from the start, half from the end.
    init(limit: Int) {
        self.headLimit = limit / 2
        self.tailLimit = limit - limit / 2
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        totalBytes += bytes.count
        let intoHead = min(bytes.count, headLimit - head.count)
        head.append(contentsOf: bytes.prefix(intoHead))
        guard intoHead < bytes.count else { return }
        tail.append(contentsOf: bytes.dropFirst(intoHead))
        // Trim in batches, so appending stays linear in the bytes appended.
        if tail.count > 2 * tailLimit {
            tail.removeFirst(tail.count - tailLimit)
        }
    }

    var cutBytes: Int {
        totalBytes - head.count - min(tail.count, tailLimit)
    }

    /// The kept bytes as text, with a note where bytes were cut. A cut never splits a UTF-8
    /// character: partial characters at either edge of the cut are dropped and counted as cut.
    var text: String {
        let keptTail = tail.suffix(tailLimit)
        guard cutBytes > 0 else { return String(decoding: head + keptTail, as: UTF8.self) }
        let cleanHead = TextFiles.withoutPartialCharacterAtEnd(head[...])
        let cleanTail = TextFiles.withoutPartialCharacterAtStart(keptTail)
        let cut = cutBytes + (head.count - cleanHead.count) + (keptTail.count - cleanTail.count)
        return String(decoding: cleanHead, as: UTF8.self) + "\n[… \(cut) bytes cut …]\n"
            + String(decoding: cleanTail, as: UTF8.self)
    }
}
