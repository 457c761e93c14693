/// The parts of a line that name a place: an inline link's destination, autolinks in angle
/// brackets, GFM's bare URLs, and character references.
enum LinkDestination {
    /// Parses `(destination "title")` starting at `start`; returns the destination and the index
    /// after the closing parenthesis.
    static func parse(_ s: [Unicode.Scalar], openParenAt start: Int) -> (String, Int)? {
        guard start < s.count, s[start] == "(" else { return nil }
        var i = skipSpaces(s, start + 1)
        var url = String.UnicodeScalarView()
        if i < s.count, s[i] == "<" {
            i += 1
            while i < s.count, s[i] != ">" {
                if s[i] == "<" { return nil }
                i = appendEscaped(s, i, to: &url)
            }
            guard i < s.count else { return nil }
            i += 1
        } else {
            var depth = 0
            while i < s.count {
                let c = s[i]
                if c == " " || c.value < 0x20 { break }
                if c == "(" { depth += 1 }
                if c == ")" {
                    if depth == 0 { break }
                    depth -= 1
                }
                i = appendEscaped(s, i, to: &url)
            }
            if depth != 0 { return nil }
        }
        let afterURL = i
        i = skipSpaces(s, i)
        if i < s.count, i > afterURL, let close = titleEnd(s, i) { i = skipSpaces(s, close) }
        guard i < s.count, s[i] == ")" else { return nil }
        return (String(url), i + 1)
    }

    private static func appendEscaped(_ s: [Unicode.Scalar], _ i: Int, to url: inout String.UnicodeScalarView) -> Int {
        if s[i] == "\\", i + 1 < s.count, InlineParser.isPunctuation(s[i + 1]) {
            url.append(s[i + 1])
            return i + 2
        }
        url.append(s[i])
        return i + 1
    }

    private static func titleEnd(_ s: [Unicode.Scalar], _ start: Int) -> Int? {
        let open = s[start]
        let close: Unicode.Scalar
        switch open {
        case "\"": close = "\""
        case "'": close = "'"
        case "(": close = ")"
        default: return nil
        }
        var i = start + 1
        while i < s.count {
            if s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == close { return i + 1 }
            i += 1
        }
        return nil
    }

    static func skipSpaces(_ s: [Unicode.Scalar], _ start: Int) -> Int {
        var i = start
        while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
        return i
    }
}

enum Autolink {
    /// `<scheme:...>` or `<user@host>`: the URL, the text to show, and the index after `>`.
    static func angle(_ s: [Unicode.Scalar], at start: Int) -> (String, String, Int)? {
        var i = start + 1
        var body = String.UnicodeScalarView()
        while i < s.count, s[i] != ">" {
            if s[i] == "<" || s[i] == " " || s[i].value < 0x20 { return nil }
            body.append(s[i])
            i += 1
        }
        guard i < s.count else { return nil }
        let text = String(body)
        if isURI(text) { return (text, text, i + 1) }
        if isEmail(text) { return ("mailto:" + text, text, i + 1) }
        return nil
    }

    private static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard (2...32).contains(scheme.count), let first = scheme.unicodeScalars.first,
            ("a"..."z").contains(first) || ("A"..."Z").contains(first)
        else { return false }
        return scheme.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789+.-".unicodeScalars.contains($0)) }
    }

    private static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix(".")
        else { return false }
        return parts[1].unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-.".unicodeScalars.contains($0)) }
    }

    /// GFM's extended autolinks: `http://`, `https://` or `www.` up to whitespace or `<`, less
    /// trailing punctuation and an unbalanced closing parenthesis.
    static func bare(_ s: [Unicode.Scalar], at start: Int) -> (String, String, Int)? {
        let prefixes = ["https://", "http://", "www."]
        guard let prefix = prefixes.first(where: { hasPrefix(s, start, $0) }) else { return nil }
        var end = start + prefix.unicodeScalars.count
        while end < s.count, !Flanking.isWhitespace(s[end]), s[end] != "<", s[end].value >= 0x20 { end += 1 }
        while end > start {
            let last = s[end - 1]
            if "?!.,:*_~'\"".unicodeScalars.contains(last) {
                end -= 1
            } else if last == ")" && count(s, start, end, "(") < count(s, start, end, ")") {
                end -= 1
            } else {
                break
            }
        }
        let text = String(String.UnicodeScalarView(s[start..<end]))
        let host = text.dropFirst(prefix.count)
        guard host.contains("."), let first = host.unicodeScalars.first, first.properties.isAlphabetic || first.properties.numericType != nil
        else { return nil }
        return (prefix == "www." ? "http://" + text : text, text, end)
    }

    private static func hasPrefix(_ s: [Unicode.Scalar], _ start: Int, _ prefix: String) -> Bool {
        var i = start
        for p in prefix.unicodeScalars {
            guard i < s.count, s[i] == p else { return false }
            i += 1
        }
        return true
    }

    private static func count(_ s: [Unicode.Scalar], _ start: Int, _ end: Int, _ c: Unicode.Scalar) -> Int {
        s[start..<end].reduce(0) { $0 + ($1 == c ? 1 : 0) }
    }
}

enum CharacterReference {
    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
        "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–", "laquo": "«", "raquo": "»", "middot": "·",
        "times": "×", "divide": "÷", "deg": "°", "rarr": "→", "larr": "←", "uarr": "↑", "darr": "↓", "le": "≤",
        "ge": "≥", "ne": "≠", "plusmn": "±", "euro": "€", "pound": "£", "yen": "¥", "sect": "§", "para": "¶",
        "bull": "•", "check": "✓", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
    ]

    /// `&name;`, `&#digits;` or `&#xhex;` at `start`: the character and the index after `;`.
    static func parse(_ s: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var i = start + 1
        var body = ""
        while i < s.count, s[i] != ";", body.count <= 32 {
            body.unicodeScalars.append(s[i])
            i += 1
        }
        guard i < s.count, s[i] == ";", !body.isEmpty else { return nil }
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let hex = digits.first == "x" || digits.first == "X"
            let number = hex ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let number, (hex ? digits.count <= 7 : digits.count <= 8) else { return nil }
            let scalar = number == 0 ? "\u{FFFD}" : (Unicode.Scalar(number) ?? "\u{FFFD}")
            return (scalar, i + 1)
        }
        guard let scalar = named[body] else { return nil }
        return (scalar, i + 1)
    }
}
