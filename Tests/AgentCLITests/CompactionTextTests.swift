@testable import AgentCore
import Foundation
import Testing

@testable import AgentCLI

/// The words and the stream-json lines for a compaction.
@Suite("Compaction text")
struct CompactionTextTests {
    static let report = CompactionReport(
        messagesBefore: 10_001, messagesAfter: 7, tokensBefore: 1_539_335, tokensAfter: 885, replaced: 9_995, requests: 69,
        automatic: true)

    @Test func theOneLineSaysBeforeAndAfter() {
        #expect(CompactionText.done(Self.report) == "Compacted the conversation to fit the context window: 10,001 messages, "
            + "~1,539,335 tokens → 7 messages, ~885 tokens (a summary stands for 9,995 of them, in 69 requests; "
            + "the session file keeps every message).")
        var manual = Self.report
        manual.automatic = false
        manual.requests = 1
        #expect(CompactionText.done(manual).hasPrefix("Compacted the conversation: 10,001 messages"))
        #expect(!CompactionText.done(manual).contains("requests"))
    }

    @Test func failuresSayWhyAndThatNothingChanged() {
        #expect(CompactionText.notDone(.request("The server answered 400: no", overflow: nil))
            == "Compaction failed: The server answered 400: no. The conversation is unchanged.")
        #expect(CompactionText.notDone(.cancelled) == "Compaction cancelled; the conversation is unchanged.")
        #expect(CompactionText.autoFailed(.emptySummary, retryAfterTurns: 2)
            == "Compaction failed: the model answered with an empty summary. Leaving older messages out of this request "
            + "instead; trying again in 2 turns.")
    }

    @Test func streamJSONReportsTheOutcomeButNotTheProgress() throws {
        #expect(StreamJSON.line(for: .compaction(.progress(.summarising(part: 1, of: 2)))) == "")
        let done = StreamJSON.line(for: .compaction(.compacted(Self.report)))
        let parsed = try JSONSerialization.jsonObject(with: Data(done.utf8))
        let object = try #require(parsed as? [String: Any])
        #expect(object["type"] as? String == "compaction")
        #expect(object["messages_before"] as? Int == 10_001 && object["tokens_after"] as? Int == 885)
        #expect(object["requests"] as? Int == 69)
        let failed = StreamJSON.line(for: .compaction(.failed(.emptySummary, retryAfterTurns: 4)))
        let parsedFailure = try JSONSerialization.jsonObject(with: Data(failed.utf8))
        let failure = try #require(parsedFailure as? [String: Any])
        #expect(failure["type"] as? String == "compaction_failed")
        #expect(failure["retry_after_turns"] as? Int == 4)
    }
}
