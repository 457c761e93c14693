import Testing

@testable import MarkdownTerminal

@Suite("Inline markdown")
struct InlineTests {
    func looks(_ text: String) -> [String] {
        var merged: [Span] = []
        for span in InlineParser.spans(Substring(text), theme: .standard) {
            if let last = merged.last, last.look == span.look, last.link == span.link {
                merged[merged.count - 1].text += span.text
            } else {
                merged.append(span)
            }
        }
        return merged.map { span in
            var marks = ""
            if span.look.attributes.contains(.bold) { marks += "b" }
            if span.look.attributes.contains(.italic) { marks += "i" }
            if span.look.attributes.contains(.strikethrough) { marks += "s" }
            if span.look == Theme.standard.inlineCode { marks += "c" }
            if span.link != nil { marks += "l" }
            return marks.isEmpty ? span.text : "\(marks):\(span.text)"
        }
    }

    @Test func emphasisFollowsCommonMark() {
        #expect(looks("**bold** and *it*") == ["b:bold", " and ", "i:it"])
        #expect(looks("***both***") == ["bi:both"])
        #expect(looks("snake_case_name") == ["snake_case_name"])
        #expect(looks("a * not * b") == ["a * not * b"])
        #expect(looks("**unclosed") == ["**unclosed"])
        #expect(looks("*a **b** c*") == ["i:a ", "bi:b", "i: c"])
    }

    @Test func codeSpansStripOneSpaceAndKeepMarkupLiteral() {
        #expect(looks("`**x**`") == ["c:**x**"])
        #expect(looks("`` a ` b ``") == ["c:a ` b"])
        #expect(looks("a ` b") == ["a ` b"])
    }

    @Test func strikethroughNeedsMatchingTildes() {
        #expect(looks("~~gone~~") == ["s:gone"])
        #expect(looks("~~not~") == ["~~not~"])
    }

    @Test func linksShowTheirURLAfterTheText() {
        let spans = InlineParser.spans("[docs](https://swift.org \"title\")", theme: .standard)
        #expect(spans.map(\.text) == ["docs", " (https://swift.org)"])
        #expect(spans[0].link == "https://swift.org")
        #expect(looks("<https://a.org>") == ["l:https://a.org"])
        #expect(looks("see https://a.org/x.") == ["see ", "l:https://a.org/x", "."])
        #expect(looks("[x](<a b>)").first == "l:x")
    }

    @Test func escapesAndReferences() {
        #expect(looks("\\*no\\*") == ["*no*"])
        #expect(looks("&amp; &#65; &#x41; &bogus;") == ["& A A &bogus;"])
    }
}
