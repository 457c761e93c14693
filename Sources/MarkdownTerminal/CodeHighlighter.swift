/// Colours a code block line by line: keywords, strings, comments and numbers; JSON keys; a
/// diff's added, removed and hunk lines; a shell session's prompts. Block comments and
/// triple-quoted strings carry over to the next line. An unknown language stays plain.
struct CodeHighlighter {
    private enum State {
        case normal
        case inside(close: String, look: Look)
    }

    let syntax: LanguageSyntax?
    let looks: Theme.CodeLooks
    private var state = State.normal

    init(language: String, looks: Theme.CodeLooks) {
        syntax = LanguageSyntax.named(language)
        self.looks = looks
    }

    mutating func highlight(_ line: Substring) -> [Span] {
        guard let syntax, !line.isEmpty else { return line.isEmpty ? [] : [Span(String(line))] }
        switch syntax.kind {
        case .diff: return [Span(String(line), DiffHighlighter.look(of: line, looks: looks))]
        case .console:
            guard line.hasPrefix("$ ") || line.hasPrefix("# ") else { return [Span(String(line))] }
            var shell = CodeHighlighter(syntax: .shell, looks: looks)
            return [Span(String(line.prefix(2)), looks.prompt)] + shell.highlight(line.dropFirst(2))
        case .code, .json:
            return tokens(Array(line.unicodeScalars), syntax)
        }
    }

    private init(syntax: LanguageSyntax, looks: Theme.CodeLooks) {
        self.syntax = syntax
        self.looks = looks
    }

    private mutating func tokens(_ s: [Unicode.Scalar], _ syntax: LanguageSyntax) -> [Span] {
        var spans: [Span] = []
        var plain = String.UnicodeScalarView()
        func emit(_ range: Range<Int>, _ look: Look) {
            if !plain.isEmpty {
                spans.append(Span(String(plain)))
                plain = String.UnicodeScalarView()
            }
            spans.append(Span(String(String.UnicodeScalarView(s[range])), look))
        }
        var i = 0
        if case .inside(let close, let look) = state {
            let end = Self.find(close, in: s, from: 0)
            emit(0..<(end ?? s.count), look)
            i = end ?? s.count
            if end != nil { state = .normal }
        }
        while i < s.count {
            if let (end, look, carried) = token(s, at: i, syntax) {
                emit(i..<end, look)
                if let carried { state = carried }
                i = end
            } else {
                plain.append(s[i])
                i += 1
            }
        }
        if !plain.isEmpty { spans.append(Span(String(plain))) }
        return spans
    }

    /// The token starting at `i`, if it is one that gets a colour: its end, its look, and the
    /// state to carry to the next line when it does not end on this one.
    private func token(_ s: [Unicode.Scalar], at i: Int, _ syntax: LanguageSyntax) -> (Int, Look, State?)? {
        let c = s[i]
        let wordStart = i == 0 || !Self.isIdentifier(s[i - 1])
        for marker in syntax.lineComments where Self.matches(marker, s, at: i) {
            if syntax.commentNeedsSpaceBefore && i > 0 && s[i - 1] != " " && s[i - 1] != "\t" { continue }
            return (s.count, looks.comment, nil)
        }
        if let (open, close) = syntax.blockComment, Self.matches(open, s, at: i) {
            return multiline(s, from: i + open.unicodeScalars.count, close: close, look: looks.comment)
        }
        for triple in syntax.tripleQuotes where Self.matches(triple, s, at: i) {
            return multiline(s, from: i + 3, close: triple, look: looks.string)
        }
        if syntax.quotes.contains(c) {
            let end = Self.stringEnd(s, from: i + 1, quote: c)
            var look = looks.string
            if syntax.kind == .json, Self.nextNonSpace(s, from: end) == ":" { look = looks.key }
            return (end, look, nil)
        }
        if syntax.dollarVariables, c == "$", i + 1 < s.count {
            var end = i + 1
            if s[end] == "{" {
                while end < s.count, s[end] != "}" { end += 1 }
                end = min(end + 1, s.count)
            } else {
                while end < s.count, Self.isIdentifier(s[end]) { end += 1 }
            }
            return end > i + 1 ? (end, looks.key, nil) : nil
        }
        guard wordStart, Self.isIdentifier(c) else { return nil }
        var end = i
        while end < s.count, Self.isIdentifier(s[end]) || (s[end] == "." && c.properties.numericType != nil) { end += 1 }
        if ("0"..."9").contains(c) { return (end, looks.number, nil) }
        let word = String(String.UnicodeScalarView(s[i..<end]))
        return syntax.keywords.contains(word) ? (end, looks.keyword, nil) : (end, .plain, nil)
    }

    private func multiline(_ s: [Unicode.Scalar], from start: Int, close: String, look: Look) -> (Int, Look, State?) {
        if let end = Self.find(close, in: s, from: start) { return (end, look, nil) }
        return (s.count, look, .inside(close: close, look: look))
    }

    /// The index after `marker`'s first occurrence at or after `start`.
    private static func find(_ marker: String, in s: [Unicode.Scalar], from start: Int) -> Int? {
        let length = marker.unicodeScalars.count
        var i = start
        while i + length <= s.count {
            if matches(marker, s, at: i) { return i + length }
            i += 1
        }
        return nil
    }

    private static func matches(_ marker: String, _ s: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i
        for m in marker.unicodeScalars {
            guard j < s.count, s[j] == m else { return false }
            j += 1
        }
        return true
    }

    private static func stringEnd(_ s: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar) -> Int {
        var i = start
        while i < s.count {
            if s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == quote { return i + 1 }
            i += 1
        }
        return s.count
    }

    private static func nextNonSpace(_ s: [Unicode.Scalar], from start: Int) -> Unicode.Scalar? {
        var i = start
        while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
        return i < s.count ? s[i] : nil
    }

    private static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }
}

/// The looks of a unified diff's lines: `+` added, `-` removed, `@@` hunk headers dim, and
/// `+++`/`---` file headers bold. Public so that other front-end code (the approval preview)
/// colours diffs the same way.
public enum DiffHighlighter {
    public static func look(of line: Substring, looks: Theme.CodeLooks = Theme.standard.code) -> Look {
        if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("diff ") || line.hasPrefix("index ") {
            return looks.fileHeader
        }
        if line.hasPrefix("@@") { return looks.hunk }
        if line.hasPrefix("+") { return looks.inserted }
        if line.hasPrefix("-") { return looks.deleted }
        return .plain
    }

}
