/// Breaks styled text into rows no wider than a width: at spaces where it can, inside a word
/// only when the word alone is wider than a row. The spaces at a break are dropped.
enum TextWrapper {
    /// One row of spans and its width in columns.
    struct Row {
        var spans: [Span] = []
        var width = 0
    }

    static func wrap(_ spans: [Span], width: Int) -> [Row] {
        let width = max(width, 1)
        var total = 0
        for span in spans { total += span.width }
        if total <= width { return [Row(spans: spans, width: total)] }
        var rows: [Row] = []
        var current = Row()
        for word in words(spans) {
            if current.width > 0 && current.width + word.spaceWidth + word.width <= width {
                current.spans += word.spaces
                current.spans += word.pieces
                current.width += word.spaceWidth + word.width
                continue
            }
            if current.width > 0 {
                rows.append(current)
                current = Row()
            }
            if word.width <= width {
                current.spans = word.pieces
                current.width = word.width
            } else {
                breakLongWord(word.pieces, width: width, rows: &rows, current: &current)
            }
        }
        if current.width > 0 || rows.isEmpty { rows.append(current) }
        return rows
    }

    /// A word and the spaces before it; a word may be made of several spans ("**bold**,").
    private struct Word {
        var spaces: [Span] = []
        var spaceWidth = 0
        var pieces: [Span] = []
        var width = 0
    }

    private static func words(_ spans: [Span]) -> [Word] {
        var words: [Word] = []
        var current = Word()
        for span in spans {
            var rest = Substring(span.text)
            while !rest.isEmpty {
                let isSpace = rest.first == " "
                let end = rest.firstIndex(where: { ($0 == " ") != isSpace }) ?? rest.endIndex
                let piece = Span(String(rest[..<end]), span.look, link: span.link)
                rest = rest[end...]
                if isSpace {
                    if !current.pieces.isEmpty {
                        words.append(current)
                        current = Word()
                    }
                    current.spaces.append(piece)
                    current.spaceWidth += piece.text.utf8.count
                } else {
                    current.pieces.append(piece)
                    current.width += piece.width
                }
            }
        }
        if !current.pieces.isEmpty { words.append(current) }
        return words
    }

    private static func breakLongWord(_ pieces: [Span], width: Int, rows: inout [Row], current: inout Row) {
        for piece in pieces {
            var text = ""
            for character in piece.text {
                let w = DisplayWidth.of(character)
                if current.width + w > width && current.width > 0 {
                    if !text.isEmpty { current.spans.append(Span(text, piece.look, link: piece.link)) }
                    rows.append(current)
                    current = Row()
                    text = ""
                }
                text.append(character)
                current.width += w
            }
            if !text.isEmpty { current.spans.append(Span(text, piece.look, link: piece.link)) }
        }
    }
}
