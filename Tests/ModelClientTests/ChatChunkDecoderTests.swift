import AgentProtocol
import Testing
@testable import ModelClient

@Suite struct ChatChunkDecoderTests {
    let decoder = ChatChunkDecoder()

    @Test func contentReasoningAndFinish() {
        let outcome = decoder.decode(
            #"{"choices":[{"delta":{"content":"hi","reasoning_content":"hmm"},"finish_reason":"stop"}]}"#)
        #expect(outcome == .events([.reasoning("hmm"), .content("hi"), .finish(reason: "stop")]))
        #expect(decoder.decode(#"{"choices":[{"delta":{"reasoning":"o"}}]}"#) == .events([.reasoning("o")]))
    }

    @Test func toolCallArgumentsAsStringOrObject() {
        let fragment = decoder.decode(
            #"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"read_file","arguments":"{\"pa"}}]}}]}"#)
        #expect(fragment == .events([.toolCall(ToolCallDelta(index: 0, id: "c1", name: "read_file", arguments: "{\"pa"))]))
        let object = decoder.decode(
            #"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"list_dir","arguments":{"path":"."}}}]}}]}"#)
        #expect(object == .events([.toolCall(ToolCallDelta(name: "list_dir", arguments: #"{"path":"."}"#))]))
    }

    @Test func usageDoneErrorAndMalformed() {
        #expect(decoder.decode(#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}"#)
            == .events([.usage(Usage(promptTokens: 3, completionTokens: 4))]))
        #expect(decoder.decode("[DONE]") == .done)
        #expect(decoder.decode(#"{"error":{"message":"boom"}}"#) == .serverError("boom"))
        #expect(decoder.decode(#"{"error":"model unloaded"}"#) == .serverError("model unloaded"))
        #expect(decoder.decode("{not json") == .malformed)
        #expect(decoder.decode(#"{"hello":1}"#) == .malformed)
    }
}
