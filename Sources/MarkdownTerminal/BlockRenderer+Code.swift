/// A fenced code block being rendered: how it ends, how much indentation its lines drop, and
/// the highlighter's state, which carries over lines.
struct OpenFence {
    var syntax: BlockSyntax.Fence
    var indent: Int
    var quoteDepth: Int
    var prefix: Prefix
    var highlighter: CodeHighlighter
}

extension BlockRenderer {
    /// The opening fence is not shown; the language is, as a small label.
    mutating func openFence(_ info: BlockSyntax.Fence, indent: Int, prefix: Prefix) -> [Row] {
        fence = OpenFence(
            syntax: info, indent: indent, quoteDepth: quoteDepth, prefix: prefix,
            highlighter: CodeHighlighter(language: info.language, looks: theme.code))
        guard !info.language.isEmpty else { return [] }
        var text = prefix.text
        writer.write(info.language, look: theme.codeLabel, into: &text)
        return [Row(text: text, columns: prefix.columns + DisplayWidth.of(info.language))]
    }

    /// A line inside a fence: a code row, or nothing for the closing fence. Returns nil when the
    /// line ends the fence implicitly (its block quote ended), for the caller to render it.
    mutating func continueFence(_ line: Substring) -> [Row]? {
        guard var open = fence else { return nil }
        var body = line
        if open.quoteDepth > 0 {
            let (depth, inner) = BlockSyntax.quote(line)
            guard depth >= open.quoteDepth else {
                fence = nil
                return nil
            }
            body = inner
        }
        let (indent, text) = BlockSyntax.indentation(body)
        if indent < 4, BlockSyntax.isFenceClose(text, open.syntax) {
            fence = nil
            previousBlank = false
            return []
        }
        let code = BlockSyntax.dropIndent(body, columns: open.indent)
        let spans = open.highlighter.highlight(code)
        fence = open
        return [codeRow(code, spans: spans, prefix: open.prefix)]
    }

    /// Code is never wrapped (the terminal folds a long line, and copying it gives the line
    /// back); its width counts tabs the way the terminal draws them.
    func codeRow(_ code: Substring, spans: [Span], prefix: Prefix) -> Row {
        var text = prefix.text
        writer.write(spans, into: &text)
        return Row(text: text, columns: prefix.columns + DisplayWidth.columnsWithTabs(code))
    }
}
