import MarkdownTerminal

/// The lines an approval prompt shows for a call's preview (a command or a diff), and `/diff`
/// for a turn's patch: control characters escaped, at most `maxLines` lines with a note saying
/// how many more there are, and a diff coloured (+ green, - red, @@ and headers dim).
enum ApprovalPreview {
    static let maxLines = 60

    static func lines(_ preview: String, style: Style, maxLines: Int = maxLines, indent: String = "  ") -> [String] {
        var all = preview.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if all.last == "" { all.removeLast() }
        // A tool that already cut its preview says how much it left out: count those too.
        var alreadyCut = 0
        if all.count > maxLines, let last = all.last, let cut = Self.cutCount(last) {
            alreadyCut = cut
            all.removeLast()
        }
        let isDiff = all.first.map { $0.hasPrefix("--- ") || $0.hasPrefix("diff --git ") || $0.hasPrefix("@@") } ?? false
        var shown = all.prefix(maxLines).map { line in
            let text = indent + TerminalText.escapingControls(line)
            return isDiff ? colour(line, text, style: style) : text
        }
        if all.count > maxLines {
            let more = all.count - maxLines + alreadyCut
            shown.append(style.dim(indent + "… \(more) more line\(more == 1 ? "" : "s")"))
        }
        return shown
    }

    /// N from the note "[… N more diff lines]" that `write_file` and `edit_file` end a cut diff with.
    static func cutCount(_ line: String) -> Int? {
        guard line.hasPrefix("[… "), line.hasSuffix(" more diff lines]") else { return nil }
        return Int(line.dropFirst(3).dropLast(" more diff lines]".count))
    }

    /// The same looks as a diff in a code block (`MarkdownTerminal.DiffHighlighter`).
    private static func colour(_ line: String, _ text: String, style: Style) -> String {
        guard style.enabled else { return text }
        let look = DiffHighlighter.look(of: Substring(line))
        return look.isPlain ? text : look.sgr + text + Look.reset
    }
}
