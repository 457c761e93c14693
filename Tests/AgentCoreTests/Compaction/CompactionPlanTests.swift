import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import AgentCore

/// Conversations for the compaction tests: a system prompt, then `turns` turns of a question and
/// an answer; every third turn calls a tool first.
func conversation(turns: Int, words: Int = 20) -> [Message] {
    var messages: [Message] = [.system("sys")]
    for turn in 1...max(1, turns) {
        messages.append(.user("question \(turn) " + String(repeating: "word ", count: words)))
        if turn % 3 == 0 {
            let call = ToolCall(id: "call_\(turn)", name: "echo", arguments: #"{"text":"t\#(turn)"}"#)
            messages.append(.assistant("", toolCalls: [call]))
            messages.append(.toolResult(id: call.id, name: "echo", content: "echo: t\(turn)"))
        }
        messages.append(.assistant("answer \(turn) " + String(repeating: "word ", count: words)))
    }
    return messages
}

@Suite struct CompactionPlanTests {
    @Test func keepsTheFirstMessageAndTheMostRecentTurn() throws {
        let messages = conversation(turns: 6)
        let plan = try #require(CompactionPlan(messages, keepTurns: 1))
        #expect(plan.firstUser == 1)
        #expect(messages[plan.tailStart].content.hasPrefix("question 6"))
        #expect(plan.replaced == 2..<plan.tailStart)
        #expect(plan.originalCount == plan.replaced.count)
        #expect(plan.hasNewMessages)
        let summary = SummaryPrompt.summaryMessage("S", replacing: plan.originalCount)
        let after = plan.applying(summary, to: messages)
        #expect(after.map(\.content) == ["sys", messages[1].content, summary.content] + messages[plan.tailStart...].map(\.content))
    }

    @Test func automaticCompactionKeepsTheTurnBeforeTheOneInProgress() throws {
        var messages = conversation(turns: 4)
        messages.append(.user("question 5"))
        let plan = try #require(CompactionPlan(messages, keepTurns: 2))
        #expect(messages[plan.tailStart].content.hasPrefix("question 4"))
    }

    @Test(arguments: [1, 2])
    func theCutIsAlwaysAtATurnSoToolCallsStayWithTheirResults(keep: Int) throws {
        for turns in 2...9 {
            let messages = conversation(turns: turns)
            guard let plan = CompactionPlan(messages, keepTurns: keep) else {
                #expect(turns <= keep, "\(turns) turns")
                continue
            }
            #expect(messages[plan.tailStart].role == .user)
            let after = plan.applying(SummaryPrompt.summaryMessage("S", replacing: plan.originalCount), to: messages)
            #expect(HistoryNormalizer.normalize(after) == after, "\(turns) turns")
        }
    }

    @Test func nothingToReplaceIsNil() {
        #expect(CompactionPlan([.system("sys")], keepTurns: 1) == nil)
        #expect(CompactionPlan(conversation(turns: 1), keepTurns: 1) == nil)
        #expect(CompactionPlan(conversation(turns: 2), keepTurns: 2) == nil)
        // Two turns with nothing between them: the first answer is all there is to replace.
        #expect(CompactionPlan([.system("s"), .user("a"), .user("b")], keepTurns: 1) == nil)
    }

    @Test func anEarlierSummaryIsReplacedWithTheRestAndCountsForItsMessages() throws {
        let messages = conversation(turns: 6)
        let first = try #require(CompactionPlan(messages, keepTurns: 1))
        var compacted = first.applying(SummaryPrompt.summaryMessage("S1", replacing: first.originalCount), to: messages)
        // Right after a compaction there is nothing new to replace.
        #expect(CompactionPlan(compacted, keepTurns: 1)?.hasNewMessages == false)
        compacted += [.user("question 7"), .assistant("answer 7")]
        let second = try #require(CompactionPlan(compacted, keepTurns: 1))
        #expect(second.hasNewMessages)
        // The summary and the four messages of turn 6 (a tool call and its result among them).
        #expect(second.originalCount == first.originalCount + 4)
    }

    @Test func keptMessagesForgetTheOldTrimPosition() throws {
        var messages = conversation(turns: 4)
        messages[messages.count - 1].metadata.trimmedFrom = 5
        let plan = try #require(CompactionPlan(messages, keepTurns: 1))
        let after = plan.applying(SummaryPrompt.summaryMessage("S", replacing: 1), to: messages)
        #expect(after.allSatisfy { $0.metadata.trimmedFrom == nil })
    }

    @Test func theFakeServerKnowsASummaryRequestByTheSameMarker() {
        #expect(SummaryPrompt.marker == RecordedRequest.summaryMarker)
        #expect(SummaryPrompt.system(words: 100).hasPrefix(SummaryPrompt.marker))
    }
}

@Suite struct SummaryTrimmingTests {
    /// Trimming after a compaction leaves older turns out, never the summary.
    @Test func trimmingKeepsTheSummaryRightAfterTheFirstMessage() {
        let words = String(repeating: "word ", count: 30)
        var messages: [Message] = [.system("sys"), .user("first"), SummaryPrompt.summaryMessage("S", replacing: 10)]
        for i in 0..<20 { messages += [.user("q\(i) " + words), .assistant("a\(i) " + words)] }
        var trimmer = ContextTrimmer(keepRecent: 2)
        let cost: (Message) -> Int = { TokenEstimator().tokens(in: $0) }
        let first = trimmer.select(messages, budget: 400, cost: cost)
        #expect(first.omittedCount > 0)
        #expect(first.messages.prefix(3).map(\.content) == ["sys", "first", messages[2].content])
        messages += [.assistant("more"), .user("again")]
        let second = trimmer.select(messages, budget: 400, cost: cost)
        #expect(second.messages.prefix(3).map(\.content) == ["sys", "first", messages[2].content])
    }
}
