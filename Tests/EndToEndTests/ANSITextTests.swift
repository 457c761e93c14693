import AgentTestSupport
import Testing

@Suite struct ANSITextTests {
    @Test func removesColoursAndCursorMovesButKeepsText() {
        let raw = "\u{1B}[1;31mred\u{1B}[0m plain \u{1B}[2K\u{1B}[10Gmoved \u{1B}[?2004hpaste"
        #expect(ANSIText.stripped(raw) == "red plain moved paste")
    }

    @Test func removesOperatingSystemCommandsEndedByBellOrStringTerminator() {
        let raw = "a\u{1B}]0;window title\u{07}b\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\c"
        #expect(ANSIText.stripped(raw) == "ablinkc")
    }

    @Test func removesShortEscapesCarriageReturnsAndBells() {
        let raw = "\u{1B}(Bone\u{1B}7\u{1B}8\r\ntwo\u{07}\r\n\u{1B}=three\u{9B}1mfour"
        #expect(ANSIText.stripped(raw) == "one\ntwo\nthreefour")
    }

    @Test func keepsTabsNewlinesAndNonASCIIText() {
        #expect(ANSIText.stripped("é\tñ\n→ ✓") == "é\tñ\n→ ✓")
    }

    @Test func dropsASequenceCutOffAtTheEnd() {
        #expect(ANSIText.stripped("done\u{1B}[38;5") == "done")
        #expect(ANSIText.stripped("done\u{1B}]0;half a title") == "done")
        #expect(ANSIText.stripped("done\u{1B}") == "done")
    }

    @Test func aControlCharacterAbortsAControlSequence() {
        #expect(ANSIText.stripped("\u{1B}[12\nnext") == "\nnext")
    }

    @Test func strippingEveryPrefixNeverShowsPartOfAnEscape() {
        let raw = "ok \u{1B}[1;32m✓\u{1B}[0m \u{1B}]0;t\u{07}end"
        let scalars = Array(raw.unicodeScalars)
        for cut in 0...scalars.count {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[0..<cut])
            let stripped = ANSIText.stripped(String(prefix))
            #expect("ok ✓ end".hasPrefix(stripped), "prefix of \(cut) scalars gave \(stripped.debugDescription)")
        }
    }
}
