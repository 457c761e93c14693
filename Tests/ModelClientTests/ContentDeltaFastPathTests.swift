import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

@Suite struct ContentDeltaFastPathTests {
    func fast(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { ContentDeltaFastPath.content($0) }
    }

    @Test func agreesWithTheFullDecoderOnRandomText() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "👋", "中", "\u{2028}", "}", "{", ","]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" }.joined()
            let chunk = SSE.contentChunk(text)
            #expect(fast(chunk) == text, "chunk: \(chunk)")
            #expect(ChatChunkDecoder().decode(chunk) == .events(text.isEmpty ? [] : [.content(text)]))
        }
    }

    @Test func unicodeEscapesAndSurrogatePairs() {
        #expect(fast(#"{"choices":[{"delta":{"content":"\u00e9\ud83d\udc4b\n"}}]}"#) == "é👋\n")
        #expect(fast(#"{"choices":[{"delta":{"content":"\ud83d"}}]}"#) == nil)
    }

    @Test func keysInsideOtherStringsAreText() {
        #expect(fast(#"{"id":"a\"content\":\"x","choices":[{"delta":{"content":"y"}}]}"#) == "y")
        #expect(fast(#"{"object":"say \"usage\" \\","choices":[{"delta":{"content":"z"}}]}"#) == "z")
        #expect(fast(#"{"choices":[{"delta":{"content":"say \"tool_calls\":\"x\""}}]}"#) == #"say "tool_calls":"x""#)
    }

    @Test func leavesEveryOtherShapeToTheFullDecoder() {
        #expect(fast(#"{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}"#) == nil)
        #expect(fast(#"{"choices":[{"delta":{"content":"a","reasoning_content":"b"}}]}"#) == nil)
        #expect(fast(#"{"choices":[{"delta":{"content":"","tool_calls":[]}}]}"#) == nil)
        #expect(fast(#"{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b"}}]}"#) == nil)
        #expect(fast(#"{"choices":[],"usage":{"prompt_tokens":1}}"#) == nil)
        #expect(fast(#"{"choices":[{"delta":{"content":null}}]}"#) == nil)
        #expect(fast("[DONE]") == nil)
        #expect(fast(#"{"choices":[{"delta":{"content":"unterminated}}]}"#) == nil)
    }
}

extension SSE {
    /// The JSON of a content chunk, without the `data:` framing, the way llama.cpp sends it.
    static func contentChunk(_ text: String) -> String {
        let value: JSONValue = ["choices": [["index": 0, "finish_reason": nil, "delta": ["content": .string(text)]]],
                                "created": 1, "id": "chatcmpl-x", "model": "m", "object": "chat.completion.chunk"]
        return value.jsonText
    }
}
