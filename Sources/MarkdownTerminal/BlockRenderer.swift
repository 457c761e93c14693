/// One rendered screen line: its bytes (escapes included, no newline) and its width in columns.
struct Row: Equatable {
    var text: String
    var columns: Int
}

/// Text put before every row of a block: quote bars, a list's indentation or marker.
struct Prefix {
    var text = ""
    var columns = 0

    static func spaces(_ count: Int) -> Prefix { Prefix(text: String(repeating: " ", count: count), columns: count) }

    static func + (lhs: Prefix, rhs: Prefix) -> Prefix { Prefix(text: lhs.text + rhs.text, columns: lhs.columns + rhs.columns) }
}

/// Renders complete lines of markdown, one at a time, into screen rows. Holds state across
/// lines (an open code fence, the list nesting, a table being collected) but never looks back
/// at rows it has returned: what it returns is final.
struct BlockRenderer {
    let theme: Theme
    let writer: SpanWriter
    let maxHeldLines: Int
    var width = 80

    var fence: OpenFence?
    var lists: [ListLevel] = []
    var table: HeldTable?
    var quoteDepth = 0
    var paragraphOpen = false
    var previousBlank = true

    init(theme: Theme, hyperlinks: Bool, maxHeldLines: Int) {
        self.theme = theme
        writer = SpanWriter(hyperlinks: hyperlinks)
        self.maxHeldLines = max(maxHeldLines, 3)
    }

    /// The rows for one complete line (without its newline). Empty while the line is held.
    mutating func render(_ line: Substring) -> [Row] {
        if fence != nil, let rows = continueFence(line) { return rows }
        var rows: [Row] = []
        if table != nil {
            switch continueTable(line) {
            case .consumed(let held): return held
            case .released(let released): rows = released
            }
        }
        if fence == nil, lists.isEmpty, quoteDepth == 0, let first = line.utf8.first, Self.startsProse(first),
            !TableSyntax.hasPipe(line)
        {
            // Most lines of an answer are prose: a letter first cannot start any block.
            previousBlank = false
            return rows + paragraph(line, indent: 0, quote: Prefix())
        }
        return rows + renderBlock(line, allowTable: true)
    }

    private static func startsProse(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Rows for whatever is still held at the end of the answer; the state is reset after.
    mutating func finish() -> [Row] {
        let rows = releaseTable()
        self = BlockRenderer(theme: theme, writer: writer, maxHeldLines: maxHeldLines, width: width)
        return rows
    }

    private init(theme: Theme, writer: SpanWriter, maxHeldLines: Int, width: Int) {
        self.theme = theme
        self.writer = writer
        self.maxHeldLines = maxHeldLines
        self.width = width
    }

    /// Classifies a line that is not inside a fence and renders it.
    mutating func renderBlock(_ line: Substring, allowTable: Bool) -> [Row] {
        var (depth, inner) = BlockSyntax.quote(line)
        if depth < quoteDepth && paragraphOpen && depth == 0 && isLazyContinuation(inner) { depth = quoteDepth }
        if depth != quoteDepth {
            lists.removeAll()
            quoteDepth = depth
        }
        let (indent, text) = BlockSyntax.indentation(inner)
        if text.isEmpty { return blankLine() }
        defer { previousBlank = false }
        let quote = quotePrefix()
        if indent < 4 || !lists.isEmpty, let rows = leafBlock(inner, indent: indent, text: text, quote: quote) {
            paragraphOpen = false
            return rows
        }
        if let item = BlockSyntax.listItem(inner), item.indent < 4 || !lists.isEmpty, !cannotInterrupt(item) {
            paragraphOpen = true
            return listItem(item, quote: quote)
        }
        if lists.isEmpty && indent >= 4 && !paragraphOpen {
            let code = BlockSyntax.dropIndent(inner, columns: 4)
            return [codeRow(code, spans: [Span(String(code))], prefix: quote)]
        }
        if allowTable && TableSyntax.hasPipe(text) {
            table = .candidate(String(line), quote: quote)
            return []
        }
        return paragraph(inner, indent: indent, quote: quote)
    }

    /// A heading, a thematic break, a setext underline or a fence's opening line.
    private mutating func leafBlock(_ inner: Substring, indent: Int, text: Substring, quote: Prefix) -> [Row]? {
        let owner = listOwner(indent: indent)
        let body = owner.map { BlockSyntax.dropIndent(inner, columns: $0.contentIndent) } ?? inner
        let (bodyIndent, bodyText) = BlockSyntax.indentation(body)
        guard bodyIndent < 4 else { return nil }
        let prefix = quote + Prefix.spaces(owner?.renderedContent ?? 0)
        if let fenceInfo = BlockSyntax.fenceOpen(bodyText) {
            if owner == nil { lists.removeAll() }
            return openFence(fenceInfo, indent: (owner?.contentIndent ?? 0) + bodyIndent, prefix: prefix)
        }
        if let (level, title) = BlockSyntax.atxHeading(bodyText) {
            if owner == nil { lists.removeAll() }
            let spans = InlineParser.spans(title, base: theme.heading(level), theme: theme)
            return wrapped(spans, first: prefix, rest: prefix)
        }
        if paragraphOpen && BlockSyntax.isSetextEquals(bodyText) { return [rule("═", prefix: prefix)] }
        if BlockSyntax.thematicBreak(bodyText) != nil {
            if owner == nil { lists.removeAll() }
            return [rule("─", prefix: prefix)]
        }
        return nil
    }

    /// CommonMark: a list can interrupt a paragraph only with a non-empty item, and an ordered
    /// one only when it starts at 1 ("…windows in my house is\n14. The number of doors…").
    private func cannotInterrupt(_ item: BlockSyntax.ListItem) -> Bool {
        guard paragraphOpen && lists.isEmpty else { return false }
        if BlockSyntax.trimmed(item.text).isEmpty { return true }
        if case .ordered(let start, _) = item.marker { return start != 1 }
        return false
    }

    mutating func paragraph(_ inner: Substring, indent: Int, quote: Prefix) -> [Row] {
        var body = inner
        var prefix = quote
        if !lists.isEmpty {
            if let owner = listOwner(indent: indent) {
                body = BlockSyntax.dropIndent(inner, columns: owner.contentIndent)
                prefix = quote + Prefix.spaces(owner.renderedContent)
            } else if !previousBlank, let last = lists.last {
                prefix = quote + Prefix.spaces(last.renderedContent)
            } else {
                lists.removeAll()
            }
        }
        paragraphOpen = true
        let spans = InlineParser.spans(Self.withoutHardBreak(BlockSyntax.trimmed(body)), theme: theme)
        return wrapped(spans, first: prefix, rest: prefix)
    }

    private mutating func blankLine() -> [Row] {
        paragraphOpen = false
        defer { previousBlank = true }
        if previousBlank { return [] }
        let quote = quotePrefix()
        return [Row(text: quote.text, columns: quote.columns)]
    }

    /// A line that continues a paragraph inside a block quote without its `>` (CommonMark's
    /// laziness): text that starts no block of its own.
    private func isLazyContinuation(_ text: Substring) -> Bool {
        let (indent, body) = BlockSyntax.indentation(text)
        if body.isEmpty || indent >= 4 { return false }
        return BlockSyntax.atxHeading(body) == nil && BlockSyntax.thematicBreak(body) == nil
            && BlockSyntax.fenceOpen(body) == nil && BlockSyntax.listItem(text) == nil
    }

    func quotePrefix() -> Prefix {
        guard quoteDepth > 0 else { return Prefix() }
        var text = ""
        writer.write(String(repeating: "│ ", count: quoteDepth), look: theme.quoteBar, into: &text)
        return Prefix(text: text, columns: 2 * quoteDepth)
    }

    func rule(_ character: Character, prefix: Prefix) -> Row {
        let length = max(1, width - prefix.columns)
        var text = prefix.text
        writer.write(String(repeating: character, count: length), look: theme.rule, into: &text)
        return Row(text: text, columns: prefix.columns + length)
    }

    /// Wraps spans to the width, the first row after `first`, the others after `rest`.
    func wrapped(_ spans: [Span], first: Prefix, rest: Prefix) -> [Row] {
        let available = max(1, width - max(first.columns, rest.columns))
        return TextWrapper.wrap(spans, width: available).enumerated().map { index, row in
            let prefix = index == 0 ? first : rest
            var text = prefix.text
            writer.write(row.spans, into: &text)
            return Row(text: text, columns: prefix.columns + row.width)
        }
    }

    /// A line ending in two spaces or a backslash is a hard break in markdown; each source line
    /// is its own row here already, so the marker is dropped.
    static func withoutHardBreak(_ text: Substring) -> Substring {
        text.hasSuffix("\\") && !text.hasSuffix("\\\\") ? text.dropLast() : text
    }
}
