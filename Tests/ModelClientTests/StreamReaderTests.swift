import AgentProtocol
import AgentTestSupport
import Testing
@testable import ModelClient

@Suite struct StreamReaderTests {
    func read(_ pieces: [String]) -> (events: [ModelEvent], reader: StreamReader) {
        var reader = StreamReader()
        var events: [ModelEvent] = []
        for piece in pieces {
            events += Array(piece.utf8).withUnsafeBufferPointer { reader.feed($0) }
        }
        return (events + reader.finish(), reader)
    }

    @Test func textOfOneBufferIsHandedOnAsOneEvent() {
        let body = ["Hel", "lo", ", ", "world"].map(SSE.content).joined() + SSE.finish() + SSE.done
        let (events, reader) = read([body])
        #expect(events == [.content("Hello, world"), .finish(reason: "stop")])
        #expect(reader.isDone)
    }

    @Test func orderAcrossKindsIsKept() {
        let reasoning = #"data: {"choices":[{"delta":{"reasoning_content":"hm"}}]}"# + "\n\n"
        let body = reasoning + reasoning + SSE.content("a") + SSE.content("b") + reasoning + SSE.content("c") + SSE.finish()
        #expect(read([body]).events == [.reasoning("hmhm"), .content("ab"), .reasoning("hm"), .content("c"), .finish(reason: "stop")])
    }

    @Test func everySplitGivesTheSameText() {
        let body = ["é", "👋 ", "\"q\"", "\\", "end"].map(SSE.content).joined() + SSE.finish() + SSE.done
        let bytes = Array(body.utf8)
        for cut in stride(from: 0, through: bytes.count, by: 1) {
            var reader = StreamReader()
            var events = Array(bytes[..<cut]).withUnsafeBufferPointer { reader.feed($0) }
            events += Array(bytes[cut...]).withUnsafeBufferPointer { reader.feed($0) }
            events += reader.finish()
            let text = events.compactMap { if case .content(let t) = $0 { t } else { nil } }.joined()
            #expect(text == "é👋 \"q\"\\end", "cut at \(cut)")
            #expect(events.last == .finish(reason: "stop"), "cut at \(cut)")
        }
    }
}
