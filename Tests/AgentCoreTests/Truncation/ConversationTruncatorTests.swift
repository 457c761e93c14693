import AgentCore
import AgentProtocol
import Testing

@Suite("Conversation truncation")
struct ConversationTruncatorTests {
    /// One token per 4 bytes and no overheads, so a message of 40 "x" costs exactly 10.
    let estimator = TokenEstimator(bytesPerToken: 4, perMessageOverhead: 0, perToolCallOverhead: 0)

    func text(_ tag: String, tokens: Int = 10) -> String {
        tag + String(repeating: "x", count: tokens * 4 - tag.utf8.count)
    }

    @Test func aConversationUnderTheThresholdIsSentWhole() {
        let messages: [Message] = [.system(text("s")), .user(text("u")), .assistant(text("a"))]
        let result = ConversationTruncator(thresholdTokens: 30, keepRecent: 1, estimator: estimator).apply(messages)
        #expect(result.messages == messages)
        #expect(result.omittedCount == 0)
        #expect(result.estimatedTokens == 30)
    }

    @Test func theOldestTurnsGoFirstAndThePinnedMessagesStay() {
        let messages: [Message] = [
            .system(text("s")), .user(text("u1")), .assistant(text("a1")), .user(text("u2")), .assistant(text("a2")),
            .user(text("u3")), .assistant(text("a3")),
        ]
        let result = ConversationTruncator(thresholdTokens: 50, keepRecent: 1, estimator: estimator).apply(messages)
        // Pinned: s, u1 and u3 (30). Then newest first: a3, a2 fit the remaining 20; u2 does not.
        #expect(result.messages.map(\.content) == [text("s"), text("u1"), text("a2"), text("u3"), text("a3")])
        #expect(result.omittedCount == 2)
        #expect(result.estimatedTokens == 50)
    }

    @Test func toolGroupsAreKeptOrDroppedWhole() {
        let call = Message.assistant("", toolCalls: [ToolCall(id: "c1", name: "read", arguments: text("arg"))])
        let messages: [Message] = [
            .user(text("u1")), call, .toolResult(id: "c1", name: "read", content: text("r1")),
            .toolResult(id: "c1", name: "read", content: text("r2")), .assistant(text("a1")), .user(text("u2")),
            .assistant(text("a2")),
        ]
        // Budget after the pinned users (20): a2 (10) and a1 (10) fit; the 36-token group does not.
        let result = ConversationTruncator(thresholdTokens: 45, keepRecent: 1, estimator: estimator).apply(messages)
        #expect(result.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(result.omittedCount == 3)
        #expect(!result.exceedsThreshold)
    }

    @Test func keepRecentIsHonouredEvenOverTheThreshold() {
        let messages: [Message] = [.user(text("u1")), .assistant(text("a1")), .assistant(text("a2")), .assistant(text("a3"))]
        let result = ConversationTruncator(thresholdTokens: 15, keepRecent: 2, estimator: estimator).apply(messages)
        #expect(result.messages.count == 3)
        #expect(result.messages.last?.content == text("a3"))
        #expect(result.exceedsThreshold)
    }

    @Test func keepRecentWidensToAWholeToolGroup() {
        let call = Message.assistant("", toolCalls: [ToolCall(id: "c", name: "t", arguments: "{}")])
        let messages: [Message] = [
            .user(text("u1")), .assistant(text("a1")), call, .toolResult(id: "c", name: "t", content: text("r")),
        ]
        let result = ConversationTruncator(thresholdTokens: 1, keepRecent: 1, estimator: estimator).apply(messages)
        #expect(result.messages.map(\.role) == [.user, .assistant, .tool])
        #expect(result.messages[1].toolCalls.count == 1)
    }

    @Test func aLongCurrentTurnLosesItsOldestToolGroupsButNotItsRequest() {
        var messages: [Message] = [.system(text("s")), .user(text("first")), .assistant(text("a")), .user(text("now"))]
        for index in 0..<6 {
            messages.append(.assistant("", toolCalls: [ToolCall(id: "c\(index)", name: "t", arguments: "{}")]))
            messages.append(.toolResult(id: "c\(index)", name: "t", content: text("r\(index)")))
        }
        let result = ConversationTruncator(thresholdTokens: 70, keepRecent: 2, estimator: estimator).apply(messages)
        #expect(result.messages.prefix(3).map(\.content) == [text("s"), text("first"), text("now")])
        #expect(result.messages.last?.content == text("r5"))
        #expect(result.estimatedTokens <= 70)
        #expect(result.omittedCount > 0)
    }

    @Test func theSystemPromptIsOnlyPinnedWhenItComesFirst() {
        let messages: [Message] = [.user(text("u1")), .system(text("late")), .assistant(text("a1")), .user(text("u2"))]
        let result = ConversationTruncator(thresholdTokens: 20, keepRecent: 0, estimator: estimator).apply(messages)
        #expect(result.messages.map(\.content) == [text("u1"), text("u2")])
    }

    @Test func theInputIsNeverChanged() {
        let messages: [Message] = [.user(text("u1")), .assistant(text("a1")), .user(text("u2"))]
        let copy = messages
        _ = ConversationTruncator(thresholdTokens: 5, keepRecent: 0, estimator: estimator).apply(messages)
        #expect(messages == copy)
    }
}
