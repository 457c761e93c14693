import Foundation

/// The answer streaming right now: what the caller last reported and what is already saved.
///
/// Partial lines store deltas (`PartialDelta`) so a long answer costs its own size on disk, not
/// the sum of every prefix of it.
struct PartialTracker: Sendable {
    var latestText = ""
    var latestReasoning = ""
    private(set) var savedText = ""
    private(set) var savedReasoning = ""
    /// Bytes of this answer's partial lines in the file; they become garbage once superseded.
    var savedBytes: Int64 = 0
    private(set) var startedAt: Date?
    var lastWrite: ContinuousClock.Instant?

    /// Something was reported that the file does not hold yet. O(1) while the text grows (it is
    /// checked for every streamed chunk): lengths differ before any byte is compared.
    var isDirty: Bool {
        if latestText.utf8.count != savedText.utf8.count || latestReasoning.utf8.count != savedReasoning.utf8.count {
            return true
        }
        return latestText != savedText || latestReasoning != savedReasoning
    }

    var hasSavedText: Bool { savedBytes > 0 }

    /// The event that brings the file from the saved state to the latest one.
    mutating func nextEvent(count: Int, now: Date = Date()) -> JournalEvent {
        let started = startedAt ?? now
        startedAt = started
        return .partial(
            text: Self.delta(from: savedText, to: latestText),
            reasoning: Self.delta(from: savedReasoning, to: latestReasoning), at: started, count: count)
    }

    /// Records that the event from `nextEvent` reached the file as `bytes` bytes.
    mutating func markSaved(bytes: Int) {
        savedText = latestText
        savedReasoning = latestReasoning
        savedBytes += Int64(bytes)
    }

    /// The event that restates everything saved, from scratch (what a compaction writes).
    func restatement(count: Int) -> JournalEvent? {
        guard hasSavedText, let startedAt else { return nil }
        return .partial(
            text: PartialDelta(from: 0, text: savedText),
            reasoning: savedReasoning.isEmpty ? nil : PartialDelta(from: 0, text: savedReasoning), at: startedAt,
            count: count)
    }

    /// Nil when nothing changed; an append when `new` extends `old`; otherwise a restart.
    ///
    /// Compares and cuts by UTF-8 (a scalar-sequence prefix is exactly a UTF-8 prefix, and the
    /// cut falls on a scalar boundary), so the new tail is copied, not rebuilt scalar by scalar:
    /// that rebuild was 40% of a long answer's CPU. `from` stays a scalar count (the file format).
    static func delta(from old: String, to new: String) -> PartialDelta? {
        guard old != new else { return nil }
        guard new.utf8.starts(with: old.utf8) else { return PartialDelta(from: 0, text: new) }
        let cut = new.utf8.index(new.utf8.startIndex, offsetBy: old.utf8.count)
        return PartialDelta(from: old.unicodeScalars.count, text: String(new.unicodeScalars[cut...]))
    }
}
