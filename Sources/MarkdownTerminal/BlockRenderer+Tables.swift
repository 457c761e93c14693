/// A table cannot be drawn before its columns' widths are known, so its lines are held: a line
/// with a `|` waits for the next line to say whether it is a table's header; a table's rows
/// wait for its end, or until `maxHeldLines` are held, after which the table is drawn and
/// later rows follow in the same columns as they come.
enum HeldTable {
    case candidate(String, quote: Prefix)
    case collecting(header: [Substring], alignments: [TableSyntax.Alignment], rows: [[Substring]], quote: Prefix)
    case streaming(TableLayout, quote: Prefix)
}

extension BlockRenderer {
    enum TableStep {
        /// The line belongs to the table; these rows (often none) are ready.
        case consumed([Row])
        /// The table ended before this line: these rows end it, and the line is rendered next.
        case released([Row])
    }

    mutating func continueTable(_ line: Substring) -> TableStep {
        guard let held = table else { return .released([]) }
        let (depth, inner) = BlockSyntax.quote(line)
        switch held {
        case .candidate(let header, let quote):
            let cells = TableSyntax.cells(BlockSyntax.quote(Substring(header)).inner)
            if depth == quoteDepth, let alignments = TableSyntax.delimiterRow(inner), alignments.count == cells.count {
                table = .collecting(header: cells, alignments: alignments, rows: [], quote: quote)
                return .consumed([])
            }
            table = nil
            return .released(renderBlock(Substring(header), allowTable: false))
        case .collecting(let header, let alignments, var rows, let quote):
            guard depth == quoteDepth, continuesTable(inner) else { return .released(releaseTable()) }
            rows.append(TableSyntax.cells(inner))
            guard rows.count + 2 >= maxHeldLines else {
                table = .collecting(header: header, alignments: alignments, rows: rows, quote: quote)
                return .consumed([])
            }
            let (layout, drawn) = draw(header: header, alignments: alignments, rows: rows, quote: quote)
            table = .streaming(layout, quote: quote)
            return .consumed(drawn)
        case .streaming(let layout, let quote):
            guard depth == quoteDepth, continuesTable(inner) else { return .released(releaseTable()) }
            return .consumed(tableRows(TableSyntax.cells(inner), layout: layout, quote: quote, header: false))
        }
    }

    /// Draws whatever table is held and forgets it.
    mutating func releaseTable() -> [Row] {
        guard let held = table else { return [] }
        table = nil
        switch held {
        case .candidate(let line, _):
            return renderBlock(Substring(line), allowTable: false)
        case .collecting(let header, let alignments, let rows, let quote):
            let (layout, rowsDrawn) = draw(header: header, alignments: alignments, rows: rows, quote: quote)
            return rowsDrawn + [border(layout, "└", "┴", "┘", quote: quote)]
        case .streaming(let layout, let quote):
            return [border(layout, "└", "┴", "┘", quote: quote)]
        }
    }

    /// A table goes on until a blank line or a line that starts another block (GFM).
    private func continuesTable(_ inner: Substring) -> Bool {
        let (indent, text) = BlockSyntax.indentation(inner)
        if text.isEmpty { return false }
        guard indent < 4 else { return true }
        return BlockSyntax.atxHeading(text) == nil && BlockSyntax.fenceOpen(text) == nil
            && BlockSyntax.thematicBreak(text) == nil && BlockSyntax.quote(text).depth == 0
    }

    private func draw(header: [Substring], alignments: [TableSyntax.Alignment], rows: [[Substring]], quote: Prefix)
        -> (TableLayout, [Row])
    {
        let spans = ([header] + rows).map { row in row.prefix(alignments.count).map { InlineParser.spans($0, theme: theme) } }
        let layout = TableLayout(alignments: alignments, rows: spans, width: width - quote.columns)
        var result = [border(layout, "┌", "┬", "┐", quote: quote)]
        result += tableRows(spans[0], layout: layout, quote: quote, header: true)
        result.append(border(layout, "├", "┼", "┤", quote: quote))
        for row in spans.dropFirst() { result += tableRows(row, layout: layout, quote: quote, header: false) }
        return (layout, result)
    }

    private func tableRows(_ cells: [Substring], layout: TableLayout, quote: Prefix, header: Bool) -> [Row] {
        tableRows(cells.prefix(layout.widths.count).map { InlineParser.spans($0, theme: theme) },
                  layout: layout, quote: quote, header: header)
    }

    private func tableRows(_ cells: [[Span]], layout: TableLayout, quote: Prefix, header: Bool) -> [Row] {
        layout.rows(cells, cellLook: header ? theme.tableHeader : .plain, theme: theme, writer: writer).map {
            Row(text: quote.text + $0.0, columns: quote.columns + $0.1)
        }
    }

    private func border(_ layout: TableLayout, _ left: String, _ middle: String, _ right: String, quote: Prefix) -> Row {
        let line = layout.border(left, middle, right)
        var text = quote.text
        writer.write(line, look: theme.tableBorder, into: &text)
        return Row(text: text, columns: quote.columns + DisplayWidth.of(line))
    }
}
