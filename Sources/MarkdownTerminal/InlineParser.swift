/// Parses the inline markdown of one line into styled spans: emphasis and strong emphasis
/// (CommonMark's delimiter-run rules: flanking, intraword `_`, the rule of three),
/// strikethrough (GFM `~`/`~~`), code spans, inline links and images, autolinks, bare URLs (GFM),
/// backslash escapes and character references.
///
/// Works on one line at a time: the stream renders each line as its newline arrives, so
/// emphasis that spans a line break stays literal. Reference links need definitions that may
/// come later in the answer, so they stay literal too. Lines longer than `maximumLength`
/// scalars are shown as plain text, which keeps the time bounded on hostile input.
struct InlineParser {
    static let maximumLength = 20_000

    let theme: Theme
    var scalars: [Unicode.Scalar] = []
    var tokens: [InlineToken] = []
    var delimiters: [Delimiter] = []
    var brackets: [Bracket] = []
    var pendingText = String.UnicodeScalarView()
    var backtickRuns: BacktickRuns

    init(theme: Theme, text: Substring) {
        self.theme = theme
        scalars = Array(text.unicodeScalars)
        backtickRuns = BacktickRuns(scalars)
    }

    /// The spans of `text`, each with `base` added to its look.
    static func spans(_ text: Substring, base: Look = .plain, theme: Theme) -> [Span] {
        if text.isEmpty { return [] }
        if text.utf8.count > maximumLength || !needsParsing(text) { return [Span(String(text), base)] }
        var parser = InlineParser(theme: theme, text: text)
        parser.scan()
        parser.processEmphasis(above: -1)
        return parser.render(base: base)
    }

    /// Whether any byte could start inline markup; most lines of prose have none.
    static func needsParsing(_ text: Substring) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable(needsParsing) { return answer }
        var copy = String(text)
        return copy.withUTF8(needsParsing)
    }

    private static func needsParsing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "`"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: "\\"), UInt8(ascii: "&"):
                return true
            case UInt8(ascii: "/") where previous.1 == UInt8(ascii: ":") && previous.2 == UInt8(ascii: "/"):
                return true  // "://"
            case UInt8(ascii: ".") where previous == (UInt8(ascii: "w"), UInt8(ascii: "w"), UInt8(ascii: "w")):
                return true  // "www."
            default: break
            }
            previous = (previous.1, previous.2, byte)
        }
        return false
    }

    // MARK: Scanning

    mutating func scan() {
        var index = 0
        while index < scalars.count {
            index = scanOne(at: index)
        }
        flushText()
    }

    private mutating func scanOne(at index: Int) -> Int {
        let scalar = scalars[index]
        switch scalar {
        case "\\": return scanEscape(at: index)
        case "`": return scanCodeSpan(at: index)
        case "*", "_", "~": return scanDelimiterRun(at: index)
        case "!" where index + 1 < scalars.count && scalars[index + 1] == "[":
            openBracket(image: true)
            return index + 2
        case "[":
            openBracket(image: false)
            return index + 1
        case "]": return closeBracket(at: index)
        case "<": return scanAutolink(at: index) ?? appendingText(scalar, next: index + 1)
        case "&": return scanEntity(at: index) ?? appendingText(scalar, next: index + 1)
        case "h", "w": return scanBareURL(at: index) ?? appendingText(scalar, next: index + 1)
        default:
            // A run of text without markup goes over in one piece.
            var end = index + 1
            while end < scalars.count, !Self.mayStartMarkup(scalars[end]) { end += 1 }
            pendingText.append(contentsOf: scalars[index..<end])
            return end
        }
    }

    private static func mayStartMarkup(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\\", "`", "*", "_", "~", "!", "[", "]", "<", "&", "h", "w": true
        default: false
        }
    }

    private mutating func appendingText(_ scalar: Unicode.Scalar, next: Int) -> Int {
        pendingText.append(scalar)
        return next
    }

    mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        tokens.append(.text(String(pendingText)))
        pendingText = String.UnicodeScalarView()
    }

    private mutating func scanEscape(at index: Int) -> Int {
        let next = index + 1
        if next < scalars.count, scalars[next].isASCII, Self.isPunctuation(scalars[next]) {
            pendingText.append(scalars[next])
            return next + 1
        }
        pendingText.append("\\")
        return next
    }

    private mutating func scanCodeSpan(at index: Int) -> Int {
        var end = index
        while end < scalars.count, scalars[end] == "`" { end += 1 }
        let length = end - index
        guard let closer = backtickRuns.next(length: length, after: index) else {
            pendingText.append(contentsOf: scalars[index..<end])
            return end
        }
        var content = String.UnicodeScalarView(scalars[end..<closer])
        if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
            content = String.UnicodeScalarView(content.dropFirst().dropLast())
        }
        flushText()
        tokens.append(.code(String(content)))
        return closer + length
    }

    private mutating func scanDelimiterRun(at index: Int) -> Int {
        let character = scalars[index]
        var end = index
        while end < scalars.count, scalars[end] == character { end += 1 }
        let count = end - index
        if character == "~" && count > 2 {
            pendingText.append(contentsOf: scalars[index..<end])
            return end
        }
        let before: Unicode.Scalar = index > 0 ? scalars[index - 1] : " "
        let after: Unicode.Scalar = end < scalars.count ? scalars[end] : " "
        let flanking = Flanking(before: before, after: after)
        var canOpen = flanking.left
        var canClose = flanking.right
        if character == "_" {
            canOpen = flanking.left && (!flanking.right || Self.isPunctuation(before))
            canClose = flanking.right && (!flanking.left || Self.isPunctuation(after))
        }
        flushText()
        delimiters.append(Delimiter(
            character: character, count: count, original: count, canOpen: canOpen, canClose: canClose,
            token: tokens.count))
        tokens.append(.delimiter(delimiters.count - 1))
        return end
    }

    // MARK: Links

    private mutating func openBracket(image: Bool) {
        flushText()
        brackets.append(Bracket(token: tokens.count, delimiterBottom: delimiters.count, image: image))
        tokens.append(.text(image ? "![" : "["))
    }

    private mutating func closeBracket(at index: Int) -> Int {
        guard let opener = brackets.popLast() else { return appendingText("]", next: index + 1) }
        guard opener.active, let (url, end) = LinkDestination.parse(scalars, openParenAt: index + 1) else {
            return appendingText("]", next: index + 1)
        }
        flushText()
        processEmphasis(above: opener.delimiterBottom - 1)
        tokens[opener.token] = .linkOpen(url: url, image: opener.image)
        tokens.append(.linkClose(url: url))
        if !opener.image {
            for i in brackets.indices where !brackets[i].image { brackets[i].active = false }
        }
        return end
    }

    private mutating func scanAutolink(at index: Int) -> Int? {
        guard let (url, text, end) = Autolink.angle(scalars, at: index) else { return nil }
        flushText()
        tokens.append(.autolink(url: url, text: text))
        return end
    }

    private mutating func scanBareURL(at index: Int) -> Int? {
        if index > 0 {
            let before = scalars[index - 1]
            guard Flanking.isWhitespace(before) || "*_~(".unicodeScalars.contains(before) else { return nil }
        }
        guard let (url, text, end) = Autolink.bare(scalars, at: index) else { return nil }
        flushText()
        tokens.append(.autolink(url: url, text: text))
        return end
    }

    private mutating func scanEntity(at index: Int) -> Int? {
        guard let (scalar, end) = CharacterReference.parse(scalars, at: index) else { return nil }
        pendingText.append(scalar)
        return end
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
                || (0x7B...0x7E).contains(v)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

enum InlineToken {
    case text(String)
    case code(String)
    case delimiter(Int)
    case linkOpen(url: String, image: Bool)
    case linkClose(url: String)
    case autolink(url: String, text: String)
}

struct Delimiter {
    var character: Unicode.Scalar
    var count: Int
    var original: Int
    var canOpen: Bool
    var canClose: Bool
    var token: Int
    var removed = false
    /// What this run opens and closes, innermost first.
    var opens: [Look.Attributes] = []
    var closes: [Look.Attributes] = []
}

struct Bracket {
    var token: Int
    var delimiterBottom: Int
    var image: Bool
    var active = true
}

/// CommonMark's left- and right-flanking delimiter runs.
struct Flanking {
    var left: Bool
    var right: Bool

    init(before: Unicode.Scalar, after: Unicode.Scalar) {
        let afterSpace = Self.isWhitespace(after), beforeSpace = Self.isWhitespace(before)
        let afterPunct = InlineParser.isPunctuation(after), beforePunct = InlineParser.isPunctuation(before)
        left = !afterSpace && (!afterPunct || beforeSpace || beforePunct)
        right = !beforeSpace && (!beforePunct || afterSpace || afterPunct)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }
}

/// Where each run of backticks starts, by length, so that finding a code span's closer is
/// linear over the line rather than a scan per opener.
struct BacktickRuns {
    private var starts: [Int: [Int]] = [:]
    private var cursors: [Int: Int] = [:]

    init(_ scalars: [Unicode.Scalar]) {
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "`" else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, scalars[index] == "`" { index += 1 }
            starts[index - start, default: []].append(start)
        }
    }

    /// The start of the first run of exactly `length` backticks after `position`.
    mutating func next(length: Int, after position: Int) -> Int? {
        guard let list = starts[length] else { return nil }
        var cursor = cursors[length] ?? 0
        while cursor < list.count, list[cursor] <= position { cursor += 1 }
        cursors[length] = cursor
        return cursor < list.count ? list[cursor] : nil
    }
}
