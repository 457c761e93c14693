import Testing

@testable import AgentCore

/// The delta a partial line stores: `from` counts Unicode scalars (the journal's format).
@Suite("Partial text deltas")
struct PartialTrackerTests {
    @Test func anExtensionIsAnAppendFromTheOldScalarCount() {
        #expect(PartialTracker.delta(from: "Hello", to: "Hello, world") == PartialDelta(from: 5, text: ", world"))
        #expect(PartialTracker.delta(from: "", to: "Hi") == PartialDelta(from: 0, text: "Hi"))
        // Multi-byte scalars count once each.
        #expect(PartialTracker.delta(from: "é🙂", to: "é🙂 ok") == PartialDelta(from: 2, text: " ok"))
    }

    @Test func aCombiningMarkAfterTheCutStaysWithTheTail() {
        // "e" then U+0301: one character, two scalars; the cut falls between them.
        #expect(PartialTracker.delta(from: "caf" + "e", to: "cafe\u{301}!") == PartialDelta(from: 4, text: "\u{301}!"))
    }

    @Test func anythingElseRestartsAndNothingNewIsNil() {
        #expect(PartialTracker.delta(from: "abc", to: "abd") == PartialDelta(from: 0, text: "abd"))
        #expect(PartialTracker.delta(from: "abc", to: "ab") == PartialDelta(from: 0, text: "ab"))
        #expect(PartialTracker.delta(from: "same", to: "same") == nil)
    }
}
