#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `@path` in a prompt: a file (or folder) to attach to the message.
///
/// What counts as a mention, so that ordinary text is left alone:
/// - the `@` starts the prompt or follows a space, a line break or one of `( [ { < " '`; so an
///   e-mail address (`ann@example.com`) or `user@host` is not one;
/// - it is not inside code: an inline span (`` `@Published` ``) or a fenced block (```);
/// - the path runs to the next space, or is quoted (`@"My Notes.txt"`); punctuation that ends a
///   sentence (`.` `,` `;` `:` `!` `?` and closing brackets or quotes) is not part of it;
/// - a word with no `/` or `.` that names nothing in the workspace (`@alice`, `@MainActor`) is
///   plain text; one that looks like a path (`@docs/x.md`, `@notes.txt`) and names nothing is an
///   error, so a typo is never sent as if the file were attached.
public struct Mention: Sendable, Equatable {
    /// The path as written, without the `@`, quotes or trailing punctuation.
    public var path: String
    /// Where `@…` stands in the prompt.
    public var range: Range<String.Index>

    /// Has the shape of a path: contains `/` or `.`, or starts with `~`.
    public var looksLikePath: Bool {
        // By bytes: `String.contains(String)` is Foundation's, through NSString, per mention.
        path.utf8.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") } || path.hasPrefix("~")
    }

    /// Every mention in `text`, in order.
    public static func all(in text: String) -> [Mention] {
        // The scan walks Characters (grapheme breaking: seconds for a 100 MB paste); most text,
        // and most large pastes, hold no `@` at all, which one byte search tells.
        var text = text
        let hasAt = text.withUTF8 { bytes in
            bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "@")), bytes.count) != nil } ?? false
        }
        guard hasAt else { return [] }
        var scanner = MentionScanner(text: text)
        return scanner.scan()
    }
}

/// One pass over a prompt that skips code and collects mentions.
private struct MentionScanner {
    let text: String
    var index: String.Index
    var found: [Mention] = []
    var inFence = false
    var atLineStart = true
    /// Listed at the first inline span, once.
    var runs: BacktickRuns?

    init(text: String) {
        self.text = text
        index = text.startIndex
    }

    static let openers: Set<Character> = ["(", "[", "{", "<", "\"", "'"]
    static let trailing: Set<Character> = [".", ",", ";", ":", "!", "?", ")", "]", "}", ">", "\"", "'"]

    mutating func scan() -> [Mention] {
        while index < text.endIndex {
            let character = text[index]
            if atLineStart, text[index...].drop(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                skipLine()
                continue
            }
            atLineStart = character == "\n"
            if inFence {
                index = text.index(after: index)
            } else if character == "`" {
                skipInlineCode()
            } else if character == "@", startsMention() {
                readMention()
            } else {
                index = text.index(after: index)
            }
        }
        return found
    }

    func startsMention() -> Bool {
        guard index > text.startIndex else { return true }
        let previous = text[text.index(before: index)]
        return previous.isWhitespace || Self.openers.contains(previous)
    }

    mutating func skipLine() {
        while index < text.endIndex, text[index] != "\n" { index = text.index(after: index) }
        if index < text.endIndex { index = text.index(after: index) }
        atLineStart = true
    }

    /// A run of backticks opens a span that the same run closes; without a closing run the
    /// backticks are literal (as in CommonMark).
    mutating func skipInlineCode() {
        var length = 0
        while index < text.endIndex, text[index] == "`" {
            index = text.index(after: index)
            length += 1
        }
        let runs = self.runs ?? BacktickRuns(text)
        self.runs = runs
        if let close = runs.close(after: index, length: length, in: text) { index = close }
    }

    mutating func readMention() {
        let at = index
        var cursor = text.index(after: index)
        var path: Substring
        if cursor < text.endIndex, text[cursor] == "\"",
            let close = text[text.index(after: cursor)...].firstIndex(where: { $0 == "\"" || $0 == "\n" }),
            text[close] == "\""
        {
            path = text[text.index(after: cursor)..<close]
            cursor = text.index(after: close)
        } else {
            let end = text[cursor...].firstIndex(where: \.isWhitespace) ?? text.endIndex
            path = text[cursor..<end]
            while let last = path.last, Self.trailing.contains(last) { path = path.dropLast() }
            cursor = path.endIndex
        }
        index = max(cursor, text.index(after: at))
        guard !path.isEmpty else { return }
        found.append(Mention(path: String(path), range: at..<cursor))
    }
}
