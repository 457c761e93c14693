import Testing

@testable import MarkdownTerminal

@Suite("Display width")
struct WidthTests {
    @Test func asciiCountsOneEach() { #expect(DisplayWidth.of("hello, world") == 12) }

    @Test func cjkAndFullwidthAreTwo() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("한국") == 4)
    }

    @Test func emojiClustersAreTwo() {
        #expect(DisplayWidth.of("👍") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)
        #expect(DisplayWidth.of("🇯🇵") == 2)
        #expect(DisplayWidth.of("❤️") == 2)
    }

    @Test func combiningMarksAddNothing() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("cafe\u{301} nai\u{308}ve") == 10)
        #expect(DisplayWidth.of("\u{200B}") == 0)
    }

    @Test func tabsAdvanceToTheNextStop() {
        #expect(DisplayWidth.columnsWithTabs("\tx") == 9)
        #expect(DisplayWidth.columnsWithTabs("abc\tx") == 9)
    }

    @Test func wrappingNeverSplitsAWideCharacterAcrossRows() {
        let rows = TextWrapper.wrap([Span("日本語のテキスト")], width: 5)
        #expect(rows.map(\.width) == [4, 4, 4, 4])
    }
}
