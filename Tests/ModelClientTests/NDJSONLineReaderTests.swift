import Testing
@testable import ModelClient

@Suite struct NDJSONLineReaderTests {
    func read(_ chunks: [[UInt8]]) -> [String] {
        var reader = NDJSONLineReader()
        var lines: [String] = []
        for chunk in chunks { lines += reader.feed(chunk) }
        return lines + reader.finish()
    }

    @Test func linesBlankLinesCRLFAndAMissingLastNewline() {
        #expect(read([Array("{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}".utf8)]) == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    }

    @Test func splittingAtEveryByteReadsTheSame() {
        let text = "{\"message\":{\"content\":\"héllo 👋\"}}\n\r\n{\"done\":true}\r\n\n{\"x\":\"\\n\"}"
        let bytes = Array(text.utf8)
        let whole = read([bytes])
        #expect(whole.count == 3)
        for cut in 0...bytes.count {
            #expect(read([Array(bytes[..<cut]), Array(bytes[cut...])]) == whole, "cut at \(cut)")
        }
        #expect(read(bytes.map { [$0] }) == whole)
    }

    @Test func aLineOverTheLimitStopsTheReader() {
        var reader = NDJSONLineReader(maxBytes: 8)
        #expect(reader.feed(Array("{\"a\":1}\n".utf8)) == [#"{"a":1}"#])
        #expect(reader.feed(Array("{\"long\":".utf8)).isEmpty)
        #expect(!reader.overflowed)
        #expect(reader.feed(Array("1}\n{}\n".utf8)).isEmpty)
        #expect(reader.overflowed)
        #expect(reader.finish().isEmpty)
    }
}
