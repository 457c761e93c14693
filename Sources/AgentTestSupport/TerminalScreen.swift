import MarkdownTerminal

/// A small terminal emulator for tests: replays what a program wrote and says what a person
/// sees, cell by cell, with each cell's SGR attributes.
///
/// Understands what agent writes: printable text (wide characters take two cells), `\n`, `\r`,
/// backspace, CSI cursor moves (A B C D E F G H), erase (J K), SGR (m), and skips OSC strings.
/// Lines wrap at the width the way xterm does (the cursor waits at the last column until the
/// next character). The screen never scrolls away: every row ever written is kept.
public struct TerminalScreen: Sendable {
    public struct Cell: Sendable, Equatable {
        public var character: Character
        public var bold = false
        public var italic = false
        public var sgr: [Int] = []
    }

    public private(set) var columns: Int
    public private(set) var rows: [[Cell?]] = [[]]
    private var row = 0
    private var column = 0
    private var pendingWrap = false
    private var attributes: [Int] = []

    public init(columns: Int) { self.columns = columns }

    /// Later output wraps at `columns`; rows already drawn stay as they are (no reflow).
    public mutating func resize(columns: Int) {
        self.columns = columns
        column = min(column, columns - 1)
        pendingWrap = false
    }

    /// The text of each row, trailing blanks removed.
    public var lines: [String] {
        rows.map { cells in
            var text = ""
            for cell in cells { if let cell { text.append(cell.character) } else { text.append(" ") } }
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    /// The cells of row `index` as written (a wide character's second cell is nil).
    public func cells(of index: Int) -> [Cell?] { rows[index] }

    public mutating func apply(_ output: String) {
        var scalars = Array(output.unicodeScalars)[...]
        var text = String.UnicodeScalarView()
        while let first = scalars.first {
            if first.value >= 0x20 && first.value != 0x7F {
                text.append(first)
                scalars = scalars.dropFirst()
                continue
            }
            if !text.isEmpty {
                put(String(text))
                text = String.UnicodeScalarView()
            }
            scalars = scalars.dropFirst()
            switch first {
            case "\n": lineFeed(); column = 0  // the terminal's ONLCR turns \n into \r\n
            case "\r": column = 0; pendingWrap = false
            case "\u{08}": column = max(0, column - 1); pendingWrap = false
            case "\u{1B}": scalars = escape(scalars)
            default: break
            }
        }
        if !text.isEmpty { put(String(text)) }
    }

    private mutating func put(_ text: String) {
        for character in text {
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if pendingWrap || column + width > columns {
                lineFeed()
                column = 0
                pendingWrap = false
            }
            set(Cell(character: character, bold: attributes.contains(1), italic: attributes.contains(3), sgr: attributes), at: column)
            if width == 2 { set(nil, at: column + 1) }
            column += width
            if column >= columns {
                column = columns - 1
                pendingWrap = true
            }
        }
    }

    private mutating func set(_ cell: Cell?, at index: Int) {
        while rows[row].count <= index { rows[row].append(Cell(character: " ")) }
        rows[row][index] = cell
    }

    private mutating func lineFeed() {
        row += 1
        pendingWrap = false
        while rows.count <= row { rows.append([]) }
    }

    /// Handles the sequence after ESC; returns what follows it.
    private mutating func escape(_ rest: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        guard let kind = rest.first else { return rest }
        if kind == "]" {
            // OSC: up to BEL or ESC \.
            var index = rest.index(after: rest.startIndex)
            while index < rest.endIndex {
                if rest[index] == "\u{07}" { return rest[(index + 1)...] }
                if rest[index] == "\u{1B}" { return rest[min(index + 2, rest.endIndex)...] }
                index += 1
            }
            return rest[rest.endIndex...]
        }
        guard kind == "[" else { return rest.dropFirst() }
        var index = rest.index(after: rest.startIndex)
        var parameters = ""
        while index < rest.endIndex, !(0x40...0x7E).contains(rest[index].value) {
            parameters.unicodeScalars.append(rest[index])
            index += 1
        }
        guard index < rest.endIndex else { return rest[rest.endIndex...] }
        control(rest[index], parameters)
        return rest[(index + 1)...]
    }

    private mutating func control(_ final: Unicode.Scalar, _ parameters: String) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        let n = max(numbers.first ?? 1, 1)
        pendingWrap = false
        switch final {
        case "A": row = max(0, row - n)
        case "B": lineFeedBy(n)
        case "C": column = min(columns - 1, column + n)
        case "D": column = max(0, column - n)
        case "E": lineFeedBy(n); column = 0
        case "F": row = max(0, row - n); column = 0
        case "G": column = min(columns - 1, n - 1)
        case "J":
            if rows[row].count > column { rows[row].removeSubrange(column...) }
            rows.removeSubrange((row + 1)...)
        case "K":
            if rows[row].count > column { rows[row].removeSubrange(column...) }
        case "m":
            let codes = parameters.isEmpty ? [0] : numbers
            for code in codes {
                if code == 0 { attributes = [] } else { attributes.append(code) }
            }
        default: break
        }
    }

    private mutating func lineFeedBy(_ n: Int) {
        for _ in 0..<n { lineFeed() }
    }
}
