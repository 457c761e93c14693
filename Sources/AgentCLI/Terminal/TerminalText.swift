/// Text from the model or a tool made safe to print on a terminal: control characters are
/// shown, not obeyed, so an escape sequence in a file name, a diff or a command can never move
/// the cursor, change colours, set the window title or reach the terminal's other commands.
enum TerminalText {
    /// `text` with C0 controls (but tab) and DEL in caret notation (`ESC` → `^[`), and C1
    /// controls (U+0080–U+009F, which some terminals obey like ESC sequences) as `<U+009B>`.
    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out.append("^")
                out.append(Unicode.Scalar(UInt8(truncatingIfNeeded: scalar.value ^ 0x40)))
            } else {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "<U+\(String(repeating: "0", count: 4 - hex.count))\(hex)>".unicodeScalars)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00..<0x20, 0x7F, 0x80...0x9F: true
        default: false
        }
    }
}
