/// Recognises the block-level syntax of one line (CommonMark and GFM): indentation, block
/// quote markers, ATX headings, thematic breaks, code fences, list items and table rows.
enum BlockSyntax {
    /// The columns of leading whitespace (a tab advances to the next multiple of 4, as
    /// CommonMark counts it) and the text after it.
    static func indentation(_ line: Substring) -> (columns: Int, rest: Substring) {
        leadingWhitespace(line, upTo: Int.max)
    }

    /// Drops up to `columns` columns of leading spaces.
    static func dropIndent(_ line: Substring, columns: Int) -> Substring {
        leadingWhitespace(line, upTo: columns).rest
    }

    private static func leadingWhitespace(_ line: Substring, upTo limit: Int) -> (columns: Int, rest: Substring) {
        var columns = 0
        var index = line.startIndex
        while index < line.endIndex, columns < limit {
            switch line[index] {
            case " ": columns += 1
            case "\t": columns = (columns / 4 + 1) * 4
            default: return (columns, line[index...])
            }
            index = line.index(after: index)
        }
        return (columns, line[index...])
    }

    /// Strips block quote markers: how many, and the text inside them.
    static func quote(_ line: Substring) -> (depth: Int, inner: Substring) {
        var depth = 0
        var rest = line
        while true {
            let (indent, text) = indentation(rest)
            guard indent <= 3, text.first == ">" else { break }
            depth += 1
            rest = text.dropFirst()
            if rest.first == " " { rest = rest.dropFirst() }
        }
        return (depth, rest)
    }

    /// `# Title` to `###### Title`, with a closing run of `#` removed.
    static func atxHeading(_ text: Substring) -> (level: Int, title: Substring)? {
        let level = text.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(level) else { return nil }
        var title = text.dropFirst(level)
        guard title.isEmpty || title.first == " " || title.first == "\t" else { return nil }
        title = trimmed(title)
        let withoutHashes = title.reversed().drop(while: { $0 == "#" })
        let kept = withoutHashes.count
        if kept < title.count, kept == 0 || title[title.index(title.startIndex, offsetBy: kept - 1)] == " " {
            title = trimmed(title.prefix(kept))
        }
        return (level, title)
    }

    /// Three or more `-`, `*` or `_` with only spaces between: the character used.
    static func thematicBreak(_ text: Substring) -> Character? {
        guard let first = text.first, first == "-" || first == "*" || first == "_" else { return nil }
        var count = 0
        for c in text {
            if c == first {
                count += 1
            } else if c != " " && c != "\t" {
                return nil
            }
        }
        return count >= 3 ? first : nil
    }

    /// A line of `=` only: a setext heading's underline.
    static func isSetextEquals(_ text: Substring) -> Bool {
        let body = trimmed(text)
        return !body.isEmpty && body.allSatisfy { $0 == "=" }
    }

    struct Fence {
        var character: Character
        var length: Int
        var language: String
    }

    /// ```` ``` ```` or `~~~` (three or more), and the first word of the info string.
    static func fenceOpen(_ text: Substring) -> Fence? {
        guard let first = text.first, first == "`" || first == "~" else { return nil }
        let length = text.prefix(while: { $0 == first }).count
        guard length >= 3 else { return nil }
        let info = trimmed(text.dropFirst(length))
        if first == "`" && info.contains("`") { return nil }
        let language = info.prefix(while: { $0 != " " && $0 != "\t" && $0 != "{" && $0 != "," })
        return Fence(character: first, length: length, language: String(language).lowercased())
    }

    static func isFenceClose(_ text: Substring, _ fence: Fence) -> Bool {
        let length = text.prefix(while: { $0 == fence.character }).count
        return length >= fence.length && trimmed(text.dropFirst(length)).isEmpty
    }

    struct ListItem {
        enum Marker: Equatable {
            case bullet(Character)
            case ordered(Int, delimiter: Character)
        }
        var indent: Int
        var marker: Marker
        /// Columns from the line's start to the item's text.
        var contentColumn: Int
        var text: Substring
    }

    /// `- item`, `* item`, `+ item`, `1. item` or `1) item` (up to nine digits).
    static func listItem(_ line: Substring) -> ListItem? {
        let (indent, rest) = indentation(line)
        guard let first = rest.first else { return nil }
        var marker: ListItem.Marker
        var markerLength: Int
        if first == "-" || first == "*" || first == "+" {
            marker = .bullet(first)
            markerLength = 1
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard (1...9).contains(digits.count), let number = Int(digits) else { return nil }
            let after = rest.dropFirst(digits.count).first
            guard let delimiter = after, delimiter == "." || delimiter == ")" else { return nil }
            marker = .ordered(number, delimiter: delimiter)
            markerLength = digits.count + 1
        }
        let afterMarker = rest.dropFirst(markerLength)
        if afterMarker.isEmpty { return ListItem(indent: indent, marker: marker, contentColumn: indent + markerLength + 1, text: "") }
        guard afterMarker.first == " " || afterMarker.first == "\t" else { return nil }
        let (spaces, text) = indentation(afterMarker)
        let gap = spaces > 4 || text.isEmpty ? 1 : spaces
        return ListItem(indent: indent, marker: marker, contentColumn: indent + markerLength + gap, text: text)
    }

    static func trimmed(_ text: Substring) -> Substring {
        var result = text
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        return result
    }
}
