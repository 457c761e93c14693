/// Renders a markdown answer for a terminal while it streams.
///
/// Feed it the answer's text in pieces as they arrive; it returns the bytes to write. The line
/// in progress is written at once, as plain text (so the first text is never later than
/// without rendering). When its newline arrives, that line alone is rewritten in its rendered
/// form: the cursor goes back to the line's first row, clears to the end of the screen, and
/// the rendered rows follow. Rows above are never touched, so scrollback stays clean. A table,
/// whose column widths depend on rows still to come, is held (at most `maxHeldLines` lines,
/// then drawn and continued in the same columns) and drawn whole.
///
/// Every rendered row ends with its styles reset, so stopping anywhere between two returned
/// strings leaves the terminal unstyled. The text is never changed in meaning: control
/// characters are shown as `^X` so that the model cannot send escape sequences to the terminal.
///
/// Pure: no I/O. The caller writes what it returns, sets `width` from the terminal (it applies
/// to lines rendered after), and calls `finish()` at the end of the answer.
public struct MarkdownStream: Sendable {
    public struct Options: Sendable {
        public var theme: Theme
        /// Whether link text is wrapped in OSC 8 hyperlinks.
        public var hyperlinks: Bool
        /// How many lines a table may hold back before it is drawn.
        public var maxHeldLines: Int

        public init(theme: Theme = .standard, hyperlinks: Bool = false, maxHeldLines: Int = 60) {
            self.theme = theme
            self.hyperlinks = hyperlinks
            self.maxHeldLines = maxHeldLines
        }
    }

    private var blocks: BlockRenderer
    /// The bytes of the line in progress, and how many of them are on screen.
    private var line: [UInt8] = []
    private var shown = 0
    /// Rows written and ended with a newline since the start.
    public private(set) var committedRows = 0

    public init(width: Int = 80, options: Options = Options()) {
        blocks = BlockRenderer(theme: options.theme, hyperlinks: options.hyperlinks, maxHeldLines: options.maxHeldLines)
        blocks.width = max(width, 1)
    }

    /// The terminal's width in columns; a change applies to the lines rendered after it.
    public var width: Int {
        get { blocks.width }
        set { blocks.width = max(newValue, 1) }
    }

    /// How many rows below the row it started on the cursor is: what erasing this answer
    /// (a retried attempt) must move up.
    public var cursorRow: Int {
        guard shown > 0 else { return committedRows }
        let columns = DisplayWidth.columnsWithTabs(ControlCharacters.visible(Array(line[0..<shown])))
        return committedRows + DisplayWidth.rows(columns: columns, width: width) - 1
    }

    /// Whether the cursor is at the start of a line: no line in progress is on screen.
    public var isAtLineStart: Bool { shown == 0 }

    /// Whether text has been fed since the start or the last `finish()`/`reset()`.
    public private(set) var hasStarted = false

    /// Takes the next piece of the answer; returns what to write to the terminal now.
    public mutating func feed(_ text: String) -> String {
        var out = ""
        var text = text
        if !text.isEmpty { hasStarted = true }
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                guard let newline = bytes[start...].firstIndex(of: 0x0A) else {
                    let rest = UnsafeBufferPointer(rebasing: bytes[start...])
                    line.append(contentsOf: rest)
                    out += ControlCharacters.visible(rest)
                    shown = line.count
                    return
                }
                line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                out += commitLine()
                start = newline + 1
            }
        }
        return out
    }

    /// Ends the answer: renders the line in progress and anything held. The stream is then
    /// ready for another answer, at the start of a new line.
    public mutating func finish() -> String {
        var out = line.isEmpty ? "" : commitLine()
        append(blocks.finish(), to: &out)
        committedRows = 0
        hasStarted = false
        return out
    }

    /// Forgets the answer without writing anything: the caller has erased it from the screen.
    public mutating func reset() {
        _ = blocks.finish()
        line.removeAll(keepingCapacity: true)
        shown = 0
        committedRows = 0
        hasStarted = false
    }

    private mutating func commitLine() -> String {
        var bytes = line[...]
        if bytes.last == 0x0D { bytes = bytes.dropLast() }
        let clean = !bytes.withUnsafeBufferPointer { ControlCharacters.contains($0) }
        let text = clean ? String(decoding: bytes, as: UTF8.self)
            : bytes.withUnsafeBufferPointer { ControlCharacters.visible($0) }
        let rows = blocks.render(Substring(text))
        var out = ""
        if shown > 0 {
            if clean, shown <= bytes.count, rows.count == 1, rows[0].text == text {
                // Rendered, the line is what is on screen already: write only the rest.
                out += String(decoding: bytes[(bytes.startIndex + shown)...], as: UTF8.self)
                out += "\n"
                committedRows += DisplayWidth.rows(columns: rows[0].columns, width: width)
                line.removeAll(keepingCapacity: true)
                shown = 0
                return out
            }
            let shownText = ControlCharacters.visible(Array(line[0..<shown]))
            let up = DisplayWidth.rows(columns: DisplayWidth.columnsWithTabs(shownText), width: width) - 1
            out += up > 0 ? "\r\u{1B}[\(up)A\u{1B}[J" : "\r\u{1B}[J"
        }
        line.removeAll(keepingCapacity: true)
        shown = 0
        append(rows, to: &out)
        return out
    }

    private mutating func append(_ rows: [Row], to out: inout String) {
        for row in rows {
            out += row.text
            out += "\n"
            committedRows += DisplayWidth.rows(columns: row.columns, width: width)
        }
    }
}
