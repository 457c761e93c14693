import Testing

@testable import AgentCore

@Suite struct HeadTailBufferTests {
    @Test func keepsEverythingUnderTheLimit() {
        var buffer = HeadTailBuffer(limit: 10)
        buffer.append(Array("hello".utf8))
        buffer.append(Array("world".utf8))
        #expect(buffer.text == "helloworld")
        #expect(buffer.cutBytes == 0)
    }

    @Test func keepsHeadAndTailAcrossManyAppends() {
        var buffer = HeadTailBuffer(limit: 10)
        for byte in Array("abcdefghijklmnopqrstuvwxyz".utf8) { buffer.append([byte]) }
        #expect(buffer.totalBytes == 26)
        #expect(buffer.text == "abcde\n[… 16 bytes cut …]\nvwxyz")
    }

    @Test func neverSplitsACharacter() {
        var buffer = HeadTailBuffer(limit: 6)
        // The head's 3 bytes end inside "€", the tail's 3 bytes start inside it.
        buffer.append(Array("a€bcdefg€é".utf8))
        #expect(buffer.text == "a\n[… 12 bytes cut …]\né")
    }
}
