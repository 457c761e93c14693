/// Finds the line on which a key is written in a TOML text.
///
/// TOMLKit does not report where keys are, so this scans the text: it follows `[table]`
/// headers, reads the key (dotted or quoted) before each `=`, and skips multi-line strings.
/// It does not parse values, so a key inside a multi-line inline table is reported at the line
/// of the nearest enclosing key it can see.
struct KeyLineLocator {
    /// Each written key's full path (header segments + key segments) and 1-based line number.
    private let entries: [(path: [String], line: Int)]

    init(text: String) {
        var entries: [(path: [String], line: Int)] = []
        var table: [String] = []
        var inMultilineString = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            let delimiters = line.ranges(of: "\"\"\"").count + line.ranges(of: "'''").count
            if inMultilineString {
                if delimiters % 2 == 1 { inMultilineString = false }
                continue
            }
            if delimiters % 2 == 1 { inMultilineString = true }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                let header = line.drop(while: { $0 == "[" })
                table = Self.segments(of: header, until: "]")
                entries.append((table, index + 1))
            } else {
                let key = Self.segments(of: line, until: "=")
                if !key.isEmpty { entries.append((table + key, index + 1)) }
            }
        }
        self.entries = entries
    }

    /// The line where `path` is written, else the line of the longest enclosing key or table
    /// that is written, else nil.
    func line(of path: [String]) -> Int? {
        if let exact = entries.first(where: { $0.path == path }) { return exact.line }
        let enclosing = entries.filter {
            !$0.path.isEmpty && $0.path.count < path.count && Array(path.prefix($0.path.count)) == $0.path
        }
        return enclosing.max(by: { $0.path.count < $1.path.count })?.line
    }

    /// Dotted key segments before the first unquoted `terminator`, unquoted and trimmed;
    /// empty when there is no terminator (not a key line).
    private static func segments(of text: Substring, until terminator: Character) -> [String] {
        var segments: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case ".":
                segments.append(current.trimmingSpaces())
                current = ""
            case terminator:
                segments.append(current.trimmingSpaces())
                return segments
            default: current.append(character)
            }
        }
        return []
    }
}
