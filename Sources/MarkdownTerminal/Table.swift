/// GFM tables: splitting rows into cells, reading the delimiter row, and drawing the table in
/// box-drawing columns whose cells wrap when the table is wider than the terminal.
enum TableSyntax {
    enum Alignment: Sendable { case left, center, right }

    /// The cells of a row: split at unescaped `|`, the outer pipes dropped, `\|` made `|`.
    static func cells(_ line: Substring) -> [Substring] {
        var text = BlockSyntax.trimmed(line)
        if text.first == "|" { text = text.dropFirst() }
        if text.last == "|", !text.dropLast().hasSuffix("\\") { text = text.dropLast() }
        var cells: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if c == "|" {
                cells.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        cells.append(text[start...])
        return cells.map { cell in
            let body = BlockSyntax.trimmed(cell)
            guard body.contains("\\|") else { return body }
            var unescaped = ""
            var rest = body[...]
            while let slash = rest.firstIndex(of: "\\") {
                let next = rest.index(after: slash)
                unescaped += rest[..<slash]
                if next < rest.endIndex, rest[next] == "|" {
                    unescaped += "|"
                    rest = rest[rest.index(after: next)...]
                } else {
                    unescaped += "\\"
                    rest = rest[next...]
                }
            }
            unescaped += rest
            return Substring(unescaped)
        }
    }

    /// Whether the line has a `|` that is not escaped: it may be a table's header or row.
    static func hasPipe(_ line: Substring) -> Bool {
        if let answer = line.utf8.withContiguousStorageIfAvailable(hasPipe) { return answer }
        var copy = String(line)
        return copy.withUTF8(hasPipe)
    }

    private static func hasPipe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var escaped = false
        for byte in bytes {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "|") {
                return true
            }
        }
        return false
    }

    /// `| --- | :---: | ---: |`: the alignment of each column, or nil when not a delimiter row.
    static func delimiterRow(_ line: Substring) -> [Alignment]? {
        guard line.contains("-"), line.allSatisfy({ "|:- \t".contains($0) }) else { return nil }
        var alignments: [Alignment] = []
        for cell in cells(line) {
            guard cell.contains("-") else { return nil }
            let body = cell.trimmingPrefix(":")
            guard body.drop(while: { $0 == "-" }).allSatisfy({ $0 == ":" }), body.drop(while: { $0 == "-" }).count <= 1
            else { return nil }
            let left = cell.first == ":", right = cell.last == ":"
            alignments.append(left && right ? .center : right ? .right : .left)
        }
        return alignments
    }
}

/// Draws a table. Column widths come from the content; when the table is wider than the
/// terminal, the widest columns give up width first and their cells wrap.
struct TableLayout {
    let alignments: [TableSyntax.Alignment]
    let widths: [Int]

    /// Chooses column widths for `rows` (the header first) within `width` columns.
    init(alignments: [TableSyntax.Alignment], rows: [[[Span]]], width: Int) {
        let columns = max(alignments.count, 1)
        var natural = Array(repeating: 1, count: columns)
        for row in rows {
            for (i, cell) in row.prefix(columns).enumerated() {
                natural[i] = max(natural[i], cell.reduce(0) { $0 + $1.width })
            }
        }
        self.alignments = alignments
        widths = Self.fit(natural, into: width - (3 * columns + 1))
    }

    /// Shares `available` columns out: a column that needs less than an even share keeps its
    /// width, the others split what is left evenly.
    static func fit(_ natural: [Int], into available: Int) -> [Int] {
        let available = max(available, natural.count)
        if natural.reduce(0, +) <= available { return natural }
        var widths = natural
        var open = Set(natural.indices)
        var left = available
        while !open.isEmpty {
            let share = left / open.count
            let small = open.filter { natural[$0] <= share }
            if small.isEmpty {
                var extra = left - share * open.count
                for i in open.sorted() {
                    widths[i] = max(1, share + (extra > 0 ? 1 : 0))
                    extra -= 1
                }
                break
            }
            for i in small {
                widths[i] = natural[i]
                left -= natural[i]
                open.remove(i)
            }
        }
        return widths
    }

    func border(_ left: String, _ middle: String, _ right: String) -> String {
        left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right
    }

    /// The screen rows of one table row, each with its width; cells wrap within their column.
    func rows(_ cells: [[Span]], cellLook: Look, theme: Theme, writer: SpanWriter) -> [(String, Int)] {
        let wrapped: [[TextWrapper.Row]] = widths.indices.map { i in
            let spans = i < cells.count ? cells[i].map { Span($0.text, cellLook.adding($0.look), link: $0.link) } : []
            return TextWrapper.wrap(spans, width: widths[i])
        }
        let height = wrapped.map(\.count).max() ?? 1
        var result: [(String, Int)] = []
        for line in 0..<height {
            var out = ""
            writer.write("│", look: theme.tableBorder, into: &out)
            for (i, column) in wrapped.enumerated() {
                let row = line < column.count ? column[line] : TextWrapper.Row()
                let gap = max(0, widths[i] - row.width)
                let (before, after) = switch alignments[safe: i] ?? .left {
                case .left: (0, gap)
                case .right: (gap, 0)
                case .center: (gap / 2, gap - gap / 2)
                }
                out += String(repeating: " ", count: before + 1)
                writer.write(row.spans, into: &out)
                out += String(repeating: " ", count: after + 1)
                writer.write("│", look: theme.tableBorder, into: &out)
            }
            result.append((out, widths.reduce(0, +) + 3 * widths.count + 1))
        }
        return result
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
