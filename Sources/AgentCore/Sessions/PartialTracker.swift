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
    static func delta(from old: String, to new: String) -> PartialDelta? {
        guard old != new else { return nil }
        let oldScalars = old.unicodeScalars
        let newScalars = new.unicodeScalars
        guard newScalars.starts(with: oldScalars) else { return PartialDelta(from: 0, text: new) }
        let oldCount = oldScalars.count
        return PartialDelta(from: oldCount, text: String(String.UnicodeScalarView(newScalars.dropFirst(oldCount))))
    }
}
