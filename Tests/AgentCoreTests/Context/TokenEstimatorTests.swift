import AgentCore
import AgentProtocol
import Testing

@Suite("Token estimate")
struct TokenEstimatorTests {
    let estimator = TokenEstimator()

    @Test func textCostsAboutFourBytesPerTokenRoundedUp() {
        #expect(estimator.tokens(in: "") == 0)
        #expect(estimator.tokens(in: "abc") == 1)
        #expect(estimator.tokens(in: "abcd") == 1)
        #expect(estimator.tokens(in: "abcde") == 2)
        #expect(estimator.tokens(in: String(repeating: "x", count: 400)) == 100)
        // Three bytes per character: nearer the truth for CJK than characters / 4.
        #expect(estimator.tokens(in: "漢字漢字") == 3)
    }

    @Test func aMessageAddsItsOverheadAndItsToolCalls() {
        #expect(estimator.tokens(in: .user("abcdefgh")) == 4 + 2)
        let call = Message.assistant("", toolCalls: [ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"a"}"#)])
        #expect(estimator.tokens(in: call) == 4 + (4 + 1 + 3 + 3))
        let result = Message.toolResult(id: "c1", name: "read_file", content: "1234")
        #expect(estimator.tokens(in: result) == 4 + 1 + 1 + 3)
        #expect(estimator.tokens(in: [Message.user("abcd"), .assistant("abcd")]) == 10)
    }

    @Test func reasoningIsNotCountedBecauseItIsNeverSent() {
        var message = Message.assistant("abcd")
        message.metadata.reasoning = String(repeating: "r", count: 1000)
        #expect(estimator.tokens(in: message) == 5)
    }
}
