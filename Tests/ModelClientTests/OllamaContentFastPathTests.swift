import AgentProtocol
import AgentTestSupport
import Testing
@testable import ModelClient

/// The fast path on Ollama's NDJSON lines: it must read exactly what `OllamaChunkDecoder` reads
/// from a plain text line, and refuse every other line.
@Suite struct OllamaContentFastPathTests {
    func fast(_ line: String) -> String? {
        var line = line
        return line.withUTF8 { ContentDeltaFastPath.content($0, wire: .ollama) }
    }

    func decoded(_ line: String) -> ChatChunkDecoder.Outcome {
        var line = line
        return line.withUTF8 { OllamaChunkDecoder().decode($0, callsSoFar: 0) }
    }

    /// A line as Ollama writes it, minus the newline.
    func line(_ text: String) -> String {
        String(NDJSON.content(text).dropLast())
    }

    @Test func agreesWithTheFullDecoderOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = [
            "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{1}", "é", "👋", "中", "\u{2028}", "}", "{", ",", ":",
            "\"content\":\"", "\"done\":true", "\"thinking\":", "\"tool_calls\":[", "\"message\":{", "\\u0041",
        ]
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? "a" }.joined()
            let chunk = line(text)
            #expect(fast(chunk) == text, "line: \(chunk)")
            #expect(decoded(chunk) == .events(text.isEmpty ? [] : [.content(text)]), "line: \(chunk)")
        }
    }

    @Test func escapesAndNonASCII() {
        let head = #"{"model":"m","created_at":"t","message":{"role":"assistant","content":"#
        #expect(fast(head + #""\u00e9\ud83d\udc4b\n\t\"\\\/ é中👋"},"done":false}"#) == "é👋\n\t\"\\/ é中👋")
        #expect(fast(head + #""\ud83d"},"done":false}"#) == nil)
        #expect(fast(head + #""\udc4b"},"done":false}"#) == nil)
        #expect(fast(head + #""\x"},"done":false}"#) == nil)
        #expect(fast(head + "\"a\u{1}b\"},\"done\":false}") == nil)
    }

    @Test func keysInsideStringsAreText() {
        #expect(fast(#"{"model":"\"done\":true","message":{"role":"assistant","content":"a"},"done":false}"#) == "a")
        #expect(fast(#"{"model":"say \"thinking\" \\","message":{"content":"\"tool_calls\":[]"},"done":false}"#)
            == #""tool_calls":[]"#)
        #expect(fast(#"{"created_at":"\"message\":{\"content\":\"x","message":{"content":"y"},"done":false}"#) == "y")
    }

    @Test func leavesEveryOtherLineToTheFullDecoder() {
        #expect(fast(String(NDJSON.thinking("hm").dropLast())) == nil)
        #expect(fast(String(NDJSON.toolCall(name: "t", arguments: ["a": 1]).dropLast())) == nil)
        #expect(fast(String(NDJSON.done(prompt: 3, eval: 4).dropLast())) == nil)
        #expect(fast(String(NDJSON.error("boom").dropLast())) == nil)
        #expect(fast(#"{"message":{"content":"a"},"done":true}"#) == nil)
        #expect(fast(#"{"message":{"content":"a"},"done":false,"done":false}"#) == nil)
        #expect(fast(#"{"message":{"content":"a","content":"b"},"done":false}"#) == nil)
        #expect(fast(#"{"message":{"content":"a"},"message":{"content":"b"}}"#) == nil)
        #expect(fast(#"{"content":"a","done":false}"#) == nil)
        #expect(fast(#"{"message":{"content":null},"done":false}"#) == nil)
        #expect(fast(#"{"message":{"content": "a"},"done":false}"#) == nil)
        #expect(fast(#"{"message":{"content":"a"},"done": false}"#) == nil)
        #expect(fast(#"{"message":{"content":"unterminated},"done":false}"#) == nil)
        #expect(fast("") == nil)
        // Without a `done` key the decoder reads the message all the same.
        #expect(fast(#"{"message":{"role":"assistant","content":"a"}}"#) == "a")
        #expect(decoded(#"{"message":{"role":"assistant","content":"a"}}"#) == .events([.content("a")]))
    }

    @Test func aStreamReadsTheSameSplitAtEveryPointWithAndWithoutTheFastPath() {
        let pieces = ["Hé", "llo ", "\"wörld\"\n", "👋", "", "\\ end"]
        let body = pieces.map(NDJSON.content).joined() + NDJSON.thinking("hm") + NDJSON.content("after")
            + NDJSON.done(prompt: 3, eval: 4)
        let bytes = Array(body.utf8)
        let expected = pieces.joined() + "after"
        for cut in 0...bytes.count {
            var reader = NDJSONStreamReader()
            var events = Array(bytes[..<cut]).withUnsafeBytes { reader.feed($0) }
            events += Array(bytes[cut...]).withUnsafeBytes { reader.feed($0) }
            events += reader.finish()
            let text = events.compactMap { if case .content(let t) = $0 { t } else { nil } }.joined()
            #expect(text == expected, "cut at \(cut)")
            #expect(events.contains(.reasoning("hm")), "cut at \(cut)")
            #expect(events.contains(.finish(reason: "stop")), "cut at \(cut)")
            #expect(reader.progress == pieces.count + 3, "cut at \(cut)")
        }
    }
}
