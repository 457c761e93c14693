@testable import MarkdownTerminal

/// What a terminal shows after a stream's output, as logical lines with their escapes kept.
///
/// Understands only what MarkdownStream uses to rewrite the line in progress (`\r`, `ESC[nA`,
/// `ESC[J`), and checks that each rewrite moves up exactly to the first row of the line in
/// progress: never into rows above it, never leaving part of it behind.
struct ScreenModel {
    let width: Int
    private(set) var lines: [String] = []
    private(set) var current = ""
    private(set) var problems: [String] = []

    init(width: Int) { self.width = width }

    var text: String { (lines + (current.isEmpty ? [] : [current])).joined(separator: "\n") }

    mutating func apply(_ output: String) {
        var rest = Substring(output)
        while let first = rest.first {
            if first == "\n" {
                lines.append(current)
                current = ""
                rest = rest.dropFirst()
            } else if first == "\r" {
                rest = rest.dropFirst()
                rest = erase(rest)
            } else {
                let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r" }) ?? rest.endIndex
                current += rest[..<end]
                rest = rest[end...]
            }
        }
    }

    /// After `\r`: an optional `ESC[nA`, then `ESC[J`.
    private mutating func erase(_ after: Substring) -> Substring {
        var rest = after
        var up = 0
        if rest.hasPrefix("\u{1B}["), let a = rest.firstIndex(of: "A"), let n = Int(rest[rest.index(rest.startIndex, offsetBy: 2)..<a]) {
            up = n
            rest = rest[rest.index(after: a)...]
        }
        guard rest.hasPrefix("\u{1B}[J") else {
            problems.append("\\r not followed by an erase: \(rest.prefix(20))")
            return rest
        }
        let rows = DisplayWidth.rows(columns: DisplayWidth.columnsWithTabs(Self.plain(current)), width: width)
        if up != rows - 1 { problems.append("moved up \(up) rows over a line in progress of \(rows) rows: \(current)") }
        current = ""
        return rest.dropFirst(3)
    }

    /// Text without SGR and OSC 8 sequences.
    static func plain(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let escape = rest.firstIndex(of: "\u{1B}") {
            result += rest[..<escape]
            rest = rest[rest.index(after: escape)...]
            if rest.first == "[" {
                let end = rest.firstIndex(where: { $0.isLetter }) ?? rest.endIndex
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            } else if rest.first == "]" {
                let end = rest.firstRange(of: "\u{1B}\\")?.upperBound ?? rest.endIndex
                rest = rest[end...]
            }
        }
        return result + rest
    }

    /// Escapes made readable for golden files.
    static func readable(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}", with: "␛")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
