import Foundation

/// The optional `---` block at the top of a command file: `key: value` lines, as Claude Code's
/// command files and many static-site generators write them.
///
/// Written by hand: the files use two flat string keys, and a YAML library would cost more
/// build time than the whole feature. Values may be quoted with `"` or `'`; anything else in the
/// block (lists, nesting, comments) is ignored rather than rejected.
struct FrontMatter: Equatable {
    var fields: [String: String] = [:]
    /// The text after the block (all of it when there is no block).
    var body: String

    init(parsing text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            body = text
            return
        }
        for line in lines[1..<end] {
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("#") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = Self.unquoted(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            if !key.isEmpty, !value.isEmpty { fields[key] = value }
        }
        body = lines[(end + 1)...].joined(separator: "\n")
    }

    private static func unquoted(_ value: String) -> String {
        for quote in ["\"", "'"] where value.count >= 2 && value.hasPrefix(quote) && value.hasSuffix(quote) {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
