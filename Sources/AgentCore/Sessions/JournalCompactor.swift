import Foundation

/// Builds the compacted form of a journal. Pure, so it is tested on bytes.
///
/// Invariant: every message line, every compaction record and every unreadable line of the old
/// journal appears in the result, byte for byte and in the same order. Only lines whose meaning
/// is carried elsewhere are dropped: the old header, title and model changes (now in the new
/// header) and partial text (superseded, or restated by `trailing`). This rewrites the file and
/// has nothing to do with summarising a conversation (`Compaction/`).
enum JournalCompactor {
    /// - Parameters:
    ///   - old: the journal's durable bytes (whole lines).
    ///   - header: the new header line, newline included.
    ///   - trailing: the line restating the answer still streaming, if any.
    static func compact(_ old: Data, header: Data, trailing: Data?) -> Data {
        let reader = JournalReader()
        var result = Data(capacity: old.count)
        result.append(header)
        for line in JournalReader.lineRanges(in: old).dropFirst() where !line.range.isEmpty && line.isTerminated {
            let bytes = old[line.range]
            switch reader.decode(bytes) {
            case .message?, .compaction?, nil:
                // Unreadable lines are kept: a compaction never destroys what it cannot read.
                result.append(bytes)
                result.append(0x0A)
            case .header?, .title?, .model?, .partial?, .partialEnd?:
                continue
            }
        }
        if let trailing { result.append(trailing) }
        return result
    }
}
