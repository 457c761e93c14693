import Testing
@testable import ModelClient

@Suite struct SSEParserTests {
    func parseAll(_ chunks: [String]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for chunk in chunks { events += parser.feed(Array(chunk.utf8)) }
        return events + parser.finish()
    }

    @Test func dataLinesAndBlankLineDispatch() {
        let events = parseAll(["data: one\n\ndata: two\n\n"])
        #expect(events == [SSEEvent(data: "one"), SSEEvent(data: "two")])
    }

    @Test func crlfAndCommentsAndEventNames() {
        let events = parseAll([": keep-alive\r\nevent: delta\r\ndata: {\"a\":1}\r\n\r\n"])
        #expect(events == [SSEEvent(event: "delta", data: "{\"a\":1}")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() {
        #expect(parseAll(["data: a\ndata: b\ndata:c\n\n"]) == [SSEEvent(data: "a\nb\nc")])
    }

    @Test func missingFinalNewlineStillDispatches() {
        #expect(parseAll(["data: [DONE]"]) == [SSEEvent(data: "[DONE]")])
    }

    @Test func crAtChunkEndAndLfAtNextStartAreOneLineEnding() {
        #expect(parseAll(["data: x\r", "\n\r", "\n"]) == [SSEEvent(data: "x")])
    }

    @Test func bareCarriageReturnsEndLines() {
        #expect(parseAll(["data: x\r\rdata: y\r\r"]) == [SSEEvent(data: "x"), SSEEvent(data: "y")])
    }

    @Test func splittingAtEveryByteBoundaryParsesTheSame() {
        let text = ": hi\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"héllo 👋\"}}]}\r\n\r\n"
            + "event: x\ndata: a\ndata: b\n\n\ndata: [DONE]\n\n"
        let whole = parseAll([text])
        #expect(whole.count == 3)
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            var parser = SSEParser()
            var events = parser.feed(bytes[..<cut])
            events += parser.feed(bytes[cut...])
            events += parser.finish()
            #expect(events == whole, "cut at \(cut)")
        }
        // And one byte at a time.
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in bytes { events += parser.feed([byte]) }
        #expect(events + parser.finish() == whole)
    }

    /// Events whose data stays in the network buffer until dispatched, and those cut by a read:
    /// every pair of cut points (three reads) gives the same events as one read.
    @Test func splittingTwiceAtEveryPairOfPointsParsesTheSame() {
        let text = "data: {\"a\":\"é\"}\n\ndata: x\r\ndata: y\r\n\r\ndata: z\rdata: w\r\r: c\n\ndata: last"
        let whole = parseAll([text])
        #expect(whole == [SSEEvent(data: "{\"a\":\"é\"}"), SSEEvent(data: "x\ny"), SSEEvent(data: "z\nw"), SSEEvent(data: "last")])
        let bytes = Array(text.utf8)
        for first in 0...bytes.count {
            for second in first...bytes.count {
                var parser = SSEParser()
                var events = parser.feed(bytes[..<first])
                events += parser.feed(bytes[first..<second])
                events += parser.feed(bytes[second...])
                events += parser.finish()
                #expect(events == whole, "cuts at \(first) and \(second)")
            }
        }
    }

    @Test func dataOverTheLimitStopsTheParserWhetherInPlaceOrJoined() {
        let line = "data: " + String(repeating: "x", count: 20) + "\n\n"
        var inPlace = SSEParser(maxBytes: 10)
        #expect(inPlace.feed(Array(line.utf8)).isEmpty)
        #expect(inPlace.overflowed)
        var joined = SSEParser(maxBytes: 15)
        #expect(joined.feed(Array("data: 0123456789\n".utf8)).isEmpty)
        #expect(joined.feed(Array("data: 0123456789\n\n".utf8)).isEmpty)
        #expect(joined.overflowed)
        var fits = SSEParser(maxBytes: 20)
        #expect(fits.feed(Array(line.utf8)) == [SSEEvent(data: String(repeating: "x", count: 20))])
    }
}
