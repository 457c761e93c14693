/// How many terminal columns text takes.
///
/// Measured per grapheme cluster, as current terminals (kitty, WezTerm, iTerm2, Ghostty, tmux
/// 3.3+) draw them: a cluster is as wide as its widest scalar, so an emoji with a skin tone or
/// a ZWJ family is two columns, a flag (two regional indicators) is two, a base letter with
/// combining marks is one, and a cluster made only of marks or format characters is zero. A
/// variation selector 16 (emoji presentation) makes a cluster two wide.
public enum DisplayWidth {
    /// The width of `text`, with no escape sequences in it. A tab counts as one column: callers
    /// that show tabs expand them first (`columnsWithTabs`).
    public static func of(_ text: String) -> Int {
        if let ascii = asciiCount(text.utf8) { return ascii }
        var width = 0
        for character in text { width += of(character) }
        return width
    }

    public static func of(_ text: Substring) -> Int {
        if let ascii = asciiCount(text.utf8) { return ascii }
        var width = 0
        for character in text { width += of(character) }
        return width
    }

    /// The byte count when every byte is ASCII (one column each), else nil.
    private static func asciiCount<View: Collection<UInt8>>(_ utf8: View) -> Int? {
        let fast = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            for byte in bytes where byte >= 0x80 { return nil }
            return bytes.count
        }
        if let fast { return fast }
        for byte in utf8 where byte >= 0x80 { return nil }
        return utf8.count
    }

    /// The width of one grapheme cluster: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x80 { return first.value < 0x20 || first.value == 0x7F ? 0 : 1 }
        if (0x1F1E6...0x1F1FF).contains(first.value) { return 2 }  // regional indicators, flags
        var width = scalarWidth(first)
        if width == 2 { return 2 }
        for scalar in scalars.dropFirst() {
            if scalar.value == 0xFE0F { return 2 }
            if scalarWidth(scalar) == 2 { return 2 }
            if width == 0, scalarWidth(scalar) == 1 { width = 1 }
        }
        return width
    }

    /// 0 for marks, format characters and controls; 2 for wide characters; else 1.
    static func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x300 { return value < 0x20 || (0x7F..<0xA0).contains(value) || value == 0xAD ? 0 : 1 }
        if WideCharacters.contains(value) { return 2 }
        if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul medial vowels and final consonants
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: return 1
        }
    }

    /// The number of terminal rows that `columns` columns of text take at `width`, counting an
    /// empty line as one row. A line that exactly fills the width takes one row: the cursor
    /// waits at the last column until the next character or newline.
    public static func rows(columns: Int, width: Int) -> Int {
        let width = max(width, 1)
        return max(1, (columns + width - 1) / width)
    }

    /// Columns of `text` drawn from column 0, with each tab advancing to the next multiple of 8,
    /// as terminals do.
    public static func columnsWithTabs(_ text: String) -> Int { columnsWithTabs(Substring(text)) }

    public static func columnsWithTabs(_ text: Substring) -> Int {
        guard text.utf8.contains(9) else { return of(text) }
        var column = 0
        for character in text {
            if character == "\t" {
                column = (column / 8 + 1) * 8
            } else {
                column += of(character)
            }
        }
        return column
    }
}
