/// One open list item: where its marker and text start in the source, where its text starts on
/// screen, and the number its next sibling gets.
struct ListLevel {
    var indent: Int
    var contentIndent: Int
    var marker: BlockSyntax.ListItem.Marker
    var renderedContent: Int
    var nextNumber: Int
}

extension BlockRenderer {
    static let bullets = ["•", "◦", "▪", "‣"]

    /// The innermost open item whose text column `indent` reaches: a line indented that far
    /// belongs to it.
    func listOwner(indent: Int) -> ListLevel? {
        lists.last { indent >= $0.contentIndent }
    }

    /// Renders a list item with its marker and a hanging indent.
    ///
    /// Nesting is lenient where CommonMark is strict: an item indented past its parent's marker
    /// nests under it even when it does not reach the parent's text column (models often indent
    /// sub-items of `1.` by two spaces, meaning a sub-list).
    mutating func listItem(_ item: BlockSyntax.ListItem, quote: Prefix) -> [Row] {
        while let last = lists.last, item.indent < last.indent { lists.removeLast() }
        var number = 1
        if let last = lists.last, item.indent <= last.indent {
            lists.removeLast()
            if Self.sameList(last.marker, item.marker) { number = last.nextNumber }
        }
        if case .ordered(let start, _) = item.marker, number == 1 { number = start }
        let parentContent = lists.last?.renderedContent ?? 0
        let task = Self.taskBox(item.text)
        let markerText: String
        switch item.marker {
        case .bullet: markerText = task.map { $0.checked ? "☑" : "☐" } ?? Self.bullets[lists.count % Self.bullets.count]
        case .ordered(_, let delimiter): markerText = String(number) + String(delimiter)
        }
        let markerColumns = DisplayWidth.of(markerText) + 1
        lists.append(ListLevel(
            indent: item.indent, contentIndent: item.contentColumn, marker: item.marker,
            renderedContent: parentContent + markerColumns, nextNumber: number + 1))
        var first = quote + Prefix.spaces(parentContent)
        writer.write(markerText, look: theme.listMarker, into: &first.text)
        first.text += " "
        first.columns += markerColumns
        let rest = quote + Prefix.spaces(parentContent + markerColumns)
        let text = task?.text ?? Self.withoutHardBreak(BlockSyntax.trimmed(item.text))
        let spans = InlineParser.spans(text, theme: theme)
        return wrapped(spans, first: first, rest: rest)
    }

    private static func sameList(_ a: BlockSyntax.ListItem.Marker, _ b: BlockSyntax.ListItem.Marker) -> Bool {
        switch (a, b) {
        case (.bullet(let x), .bullet(let y)): x == y
        case (.ordered(_, let x), .ordered(_, let y)): x == y
        default: false
        }
    }

    /// GFM task list items: `- [ ] todo`, `- [x] done`; the box takes the bullet's place.
    private static func taskBox(_ text: Substring) -> (checked: Bool, text: Substring)? {
        guard text.count >= 3, text.first == "[", text.dropFirst(2).first == "]" else { return nil }
        let mark = text.dropFirst().first
        guard mark == " " || mark == "x" || mark == "X" else { return nil }
        let rest = text.dropFirst(3)
        guard rest.isEmpty || rest.first == " " else { return nil }
        return (mark != " ", BlockSyntax.trimmed(rest))
    }
}
