import Foundation
import MCPHostWire
import Testing

@Suite struct LineFramerTests {
    func lines(_ texts: String...) -> [LineFramer.Piece] { texts.map { .line(Data($0.utf8)) } }

    @Test func linesSplitAtEveryPointComeOutTheSame() {
        let input = Array("{\"a\":1}\n\n{\"b\":\"é✓\"}\nlast".utf8)
        for cut in 0...input.count {
            var framer = LineFramer(maxLineBytes: 100)
            let pieces = framer.feed(input[..<cut]) + framer.feed(input[cut...]) + framer.finish()
            #expect(pieces == lines("{\"a\":1}", "{\"b\":\"é✓\"}", "last"), "cut at \(cut)")
        }
    }

    @Test func byteByByteToo() {
        var framer = LineFramer(maxLineBytes: 100)
        var pieces: [LineFramer.Piece] = []
        for byte in "one\ntwo\n".utf8 { pieces += framer.feed([byte]) }
        #expect(pieces + framer.finish() == lines("one", "two"))
    }

    @Test func anOversizedLineIsDroppedCountedAndTheNextOneRead() {
        let long = String(repeating: "x", count: 25)
        let input = Array("ok\n\(long)\nafter\n".utf8)
        for cut in 0...input.count {
            var framer = LineFramer(maxLineBytes: 10)
            let pieces = framer.feed(input[..<cut]) + framer.feed(input[cut...]) + framer.finish()
            #expect(pieces == [.line(Data("ok".utf8)), .oversized(bytes: 25), .line(Data("after".utf8))], "cut at \(cut)")
        }
    }

    @Test func aLineExactlyAtTheLimitIsKept() {
        var framer = LineFramer(maxLineBytes: 4)
        #expect(framer.feed(Array("abcd\nabcde\n".utf8)) == [.line(Data("abcd".utf8)), .oversized(bytes: 5)])
    }

    @Test func aPeerThatNeverSendsANewlineHoldsNoMoreThanTheLimit() {
        var framer = LineFramer(maxLineBytes: 1_000)
        let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 4_096)
        for _ in 0..<1_000 { #expect(framer.feed(chunk).isEmpty) }
        #expect(framer.finish() == [.oversized(bytes: 4_096_000)])
    }
}
