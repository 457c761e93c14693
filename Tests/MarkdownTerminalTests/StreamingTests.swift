import Testing

@testable import MarkdownTerminal

@Suite("Streaming")
struct StreamingTests {
    @Test func theLineInProgressIsWrittenPlainAtOnceAndRestyledAtItsNewline() {
        var stream = MarkdownStream(width: 80)
        #expect(stream.feed("Some **bo") == "Some **bo")
        #expect(stream.feed("ld** text") == "ld** text")
        let end = stream.feed("\n")
        #expect(end == "\r\u{1B}[JSome \u{1B}[1mbold\u{1B}[0m text\n")
    }

    @Test func aPlainLineIsNotRewritten() {
        var stream = MarkdownStream(width: 80)
        #expect(stream.feed("just words") == "just words")
        #expect(stream.feed(" and more\nnext") == " and more\nnext")
    }

    @Test func aWrappedLineInProgressIsErasedFromItsFirstRow() {
        var stream = MarkdownStream(width: 10)
        let shown = stream.feed("**twenty-five characters**")
        #expect(shown == "**twenty-five characters**")
        #expect(stream.cursorRow == 2)
        #expect(stream.feed("\n").hasPrefix("\r\u{1B}[2A\u{1B}[J"))
    }

    @Test func cursorRowCountsRenderedRowsAndTheLineInProgress() {
        var stream = MarkdownStream(width: 20)
        _ = stream.feed("# Title\n- one two three four five six\npartial")
        #expect(stream.committedRows == 3)
        #expect(stream.cursorRow == 3)
        _ = stream.finish()
        #expect(stream.committedRows == 0)
        #expect(!stream.hasStarted)
    }

    @Test func everyRowEndsWithStylesReset() {
        var stream = MarkdownStream(width: 30)
        var out = stream.feed("**a long bold sentence that wraps over rows** and `code`\n> *quote*\n")
        out += stream.finish()
        for line in out.split(separator: "\n") where line.contains("\u{1B}[") {
            #expect(line.hasSuffix("\u{1B}[0m") || line.hasSuffix("\u{1B}[0m "), "\(line)")
        }
    }

    @Test func controlCharactersFromTheModelAreShownNotObeyed() {
        var stream = MarkdownStream(width: 80)
        let partial = stream.feed("evil \u{1B}]0;title\u{07} and \u{1B}[2J")
        #expect(!partial.contains("\u{1B}"))
        #expect(partial.contains("^[]0;title^G"))
        let rest = stream.feed(" \u{9B}31m\r\n")
        #expect(!rest.contains("\u{9B}"))
        #expect(!rest.contains("\u{1B}]0"))
    }

    @Test func aTableIsHeldUntilItEndsThenDrawnInColumns() {
        var stream = MarkdownStream(width: 80)
        #expect(stream.feed("| a | b |\n").hasPrefix("") )
        let held = stream.feed("|---|---|\n| x | yy |\n")
        #expect(!held.contains("│"))
        let drawn = stream.feed("\nafter\n")
        let rows = drawn.split(separator: "\n").map { ScreenModelPlain.plain(String($0)) }
        #expect(rows.prefix(5) == ["┌───┬────┐", "│ a │ b  │", "├───┼────┤", "│ x │ yy │", "└───┴────┘"])
    }

    @Test func aLongTableIsDrawnAfterTheHeldLimitAndContinuesInTheSameColumns() {
        var stream = MarkdownStream(width: 80, options: .init(maxHeldLines: 10))
        var out = stream.feed("| n | word |\n|---|---|\n")
        for i in 1...8 { out += stream.feed("| \(i) | w |\n") }
        #expect(out.contains("┌"), "drawn once 10 lines are held")
        let later = stream.feed("| 9 | w |\n")
        #expect(ScreenModelPlain.plain(later) == "│ 9 │ w    │\n")
        #expect(ScreenModelPlain.plain(stream.finish()) == "└───┴──────┘\n")
    }

    @Test func aPipeInProseIsHeldOneLineAtMost() {
        var stream = MarkdownStream(width: 80)
        _ = stream.feed("a | b\n")
        let next = stream.feed("plain\n")
        #expect(ScreenModelPlain.plain(next) == "a | b\nplain\n")
    }

    @Test func hyperlinksWrapTheLinkTextInOSC8() {
        var stream = MarkdownStream(width: 80, options: .init(hyperlinks: true))
        let out = stream.feed("[docs](https://swift.org/a\u{1B}b)\n")
        // The escape was made visible before parsing, so it cannot end the sequence.
        #expect(out.contains("\u{1B}]8;;https://swift.org/a^[b\u{1B}\\"))
        #expect(SpanWriter.osc8Target("a b\u{7}é") == "a%20b%07%C3%A9")
        #expect(out.contains("\u{1B}]8;;\u{1B}\\"))
        var plain = MarkdownStream(width: 80)
        #expect(!plain.feed("[docs](https://swift.org)\n").contains("\u{1B}]8"))
    }

    @Test func aNewWidthAppliesToLaterLines() {
        var stream = MarkdownStream(width: 40)
        let wide = stream.feed("one two three four five six seven eight nine\n")
        stream.width = 20
        let narrow = stream.feed("one two three four five six seven eight nine\n")
        #expect(wide.split(separator: "\n").count == 2)
        #expect(narrow.split(separator: "\n").count == 3)
    }

    @Test func hostileInputTakesBoundedTime() {
        var stream = MarkdownStream(width: 80)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = stream.feed(String(repeating: "*a_", count: 30_000) + "\n")
            _ = stream.feed(String(repeating: "[", count: 30_000) + String(repeating: "`", count: 3000) + "\n")
            _ = stream.feed(String(repeating: "*x ", count: 6_000) + "\n")
        }
        #expect(elapsed < .seconds(5))
    }
}

/// Text without escape sequences, for assertions on layout.
enum ScreenModelPlain {
    static func plain(_ text: String) -> String { ScreenModel.plain(text) }
}
