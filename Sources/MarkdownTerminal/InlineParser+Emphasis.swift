/// CommonMark's "process emphasis" over the delimiter runs, then the walk that turns tokens
/// into spans.
extension InlineParser {
    private struct BottomKey: Hashable {
        var character: Unicode.Scalar
        var canOpen: Bool
        var lengthModulo3: Int
    }

    /// Matches closers with openers among the delimiters after index `bottom`.
    mutating func processEmphasis(above bottom: Int) {
        var openersBottom: [BottomKey: Int] = [:]
        var closer = bottom + 1
        while closer < delimiters.count {
            let c = delimiters[closer]
            guard c.canClose, !c.removed, c.count > 0 else {
                closer += 1
                continue
            }
            let key = BottomKey(character: c.character, canOpen: c.canOpen, lengthModulo3: c.original % 3)
            let floor = max(openersBottom[key] ?? bottom, bottom)
            if let opener = findOpener(for: closer, floor: floor) {
                match(opener: opener, closer: closer)
                if delimiters[closer].count == 0 { closer += 1 }
            } else {
                openersBottom[key] = closer - 1
                closer += 1
            }
        }
        for index in delimiters.indices where index > bottom { delimiters[index].removed = true }
    }

    private func findOpener(for closer: Int, floor: Int) -> Int? {
        let c = delimiters[closer]
        var index = closer - 1
        while index > floor {
            let o = delimiters[index]
            if !o.removed, o.canOpen, o.count > 0, o.character == c.character, compatible(o, c) { return index }
            index -= 1
        }
        return nil
    }

    private func compatible(_ opener: Delimiter, _ closer: Delimiter) -> Bool {
        if opener.character == "~" { return opener.original == closer.original }
        if opener.canClose || closer.canOpen {
            let sum = opener.original + closer.original
            if sum % 3 == 0 && !(opener.original % 3 == 0 && closer.original % 3 == 0) { return false }
        }
        return true
    }

    private mutating func match(opener: Int, closer: Int) {
        let character = delimiters[opener].character
        let used: Int
        let attribute: Look.Attributes
        if character == "~" {
            used = delimiters[opener].count
            attribute = .strikethrough
        } else {
            used = delimiters[opener].count >= 2 && delimiters[closer].count >= 2 ? 2 : 1
            attribute = used == 2 ? .bold : .italic
        }
        delimiters[opener].count -= used
        delimiters[closer].count -= used
        delimiters[opener].opens.append(attribute)
        delimiters[closer].closes.append(attribute)
        for between in (opener + 1)..<closer { delimiters[between].removed = true }
        if delimiters[opener].count == 0 { delimiters[opener].removed = true }
    }

    // MARK: Rendering

    /// How deep each attribute is open while walking the tokens.
    private struct Open {
        var bold = 0, italic = 0, strike = 0
        var links: [String] = []
        /// Where each open link's text starts among the spans.
        var linkStarts: [Int] = []

        mutating func apply(_ attribute: Look.Attributes, _ delta: Int) {
            if attribute == .bold { bold += delta }
            if attribute == .italic { italic += delta }
            if attribute == .strikethrough { strike += delta }
        }
    }

    func render(base: Look) -> [Span] {
        var spans: [Span] = []
        var open = Open()
        func look(_ extra: Look? = nil) -> Look {
            var result = base
            if open.bold > 0 { result = result.adding(theme.strong) }
            if open.italic > 0 { result = result.adding(theme.emphasis) }
            if open.strike > 0 { result = result.adding(theme.strikethrough) }
            if !open.links.isEmpty { result = result.adding(theme.linkText) }
            if let extra { result = result.adding(extra) }
            return result
        }
        for token in tokens {
            switch token {
            case .text(let text):
                spans.append(Span(text, look(), link: open.links.last))
            case .code(let text):
                spans.append(Span(text, look(theme.inlineCode), link: open.links.last))
            case .delimiter(let index):
                let d = delimiters[index]
                for attribute in d.closes { open.apply(attribute, -1) }
                if d.count > 0 {
                    let literal = String(repeating: Character(d.character), count: d.count)
                    spans.append(Span(literal, look(), link: open.links.last))
                }
                for attribute in d.opens.reversed() { open.apply(attribute, 1) }
            case .linkOpen(let url, _):
                open.links.append(url)
                open.linkStarts.append(spans.count)
            case .linkClose(let url):
                open.links.removeLast()
                let start = open.linkStarts.popLast() ?? spans.count
                let text = spans[start...].map(\.text).joined()
                if !url.isEmpty && text != url && "mailto:" + text != url {
                    spans.append(Span(" (" + url + ")", look(theme.linkURL)))
                }
            case .autolink(let url, let text):
                spans.append(Span(text, look(theme.linkText), link: url))
            }
        }
        return spans
    }
}
