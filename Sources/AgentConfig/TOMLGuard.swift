/// Refuses the TOML that crashes the parser TOMLKit bundles (toml++ 3): a table header whose
/// key begins with a character that is neither a bare-key character nor a quote, as in `[:1]`
/// or a `[` at the end of a line. toml++ asserts there (an abort, exit 134) and, built with
/// NDEBUG, assumes it cannot happen (undefined behaviour). Found by scripts/fuzz FuzzConfig.
///
/// Written by hand because it is a guard for one parser's bug, not a TOML parser: it follows
/// lines and multi-line strings the way `KeyLineLocator` does, and rejects only text toml++
/// rejects too, with one exception no setting can notice: a line of a multi-line array that
/// starts with a nested `[ [` (no key of agent's takes an array).
enum TOMLGuard {
    static func check(_ text: String) throws(TOMLSyntaxError) {
        var inMultilineString = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let delimiters = rawLine.ranges(of: "\"\"\"").count + rawLine.ranges(of: "'''").count
            if inMultilineString {
                if delimiters % 2 == 1 { inMultilineString = false }
                continue
            }
            if delimiters % 2 == 1 { inMultilineString = true }
            let indent = rawLine.prefix { $0 == " " || $0 == "\t" }
            let line = rawLine.dropFirst(indent.count)
            guard line.hasPrefix("[") else { continue }
            let key = line.drop { $0 == "[" }.drop { $0 == " " || $0 == "\t" }
            guard let first = key.unicodeScalars.first, isKeyStart(first) || first == "]" else {
                let column = indent.count + (line.count - key.count) + 1
                throw TOMLSyntaxError(line: index + 1, column: column, message: "expected a table name after '['")
            }
        }
    }

    /// A bare-key character (`A-Z a-z 0-9 _ -`) or a quote.
    private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }
}
