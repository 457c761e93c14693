import TOMLKit

/// A TOML value copied out of TOMLKit's reference types, so layers can be built, compared and
/// passed across threads as plain values.
enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([ConfigValue])
    /// Entries sorted by key, so walks over a table (and the warnings they produce) are stable.
    case table([(key: String, value: ConfigValue)])
    /// Dates and times: no key accepts them, so only their text is kept for messages.
    case dateTime(String)

    static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.float(a), .float(b)): a == b
        case let (.boolean(a), .boolean(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.table(a), .table(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        case let (.dateTime(a), .dateTime(b)): a == b
        default: false
        }
    }

    /// Parses a whole TOML document into its top-level entries.
    static func parseDocument(_ text: String) throws(TOMLSyntaxError) -> [(key: String, value: ConfigValue)] {
        try TOMLGuard.check(text)
        do {
            return Self.entries(of: try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(
                line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: String(describing: error))
        }
    }

    private static func entries(of table: TOMLTable) -> [(key: String, value: ConfigValue)] {
        table.map { (key: $0.0, value: ConfigValue($0.1)) }.sorted { $0.key < $1.key }
    }

    private init(_ value: TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .integer(value.int ?? 0)
        case .double: self = .float(value.double ?? 0)
        case .bool: self = .boolean(value.bool ?? false)
        case .array: self = .array(value.array.map { $0.map { ConfigValue($0) } } ?? [])
        case .table: self = .table(value.table.map(Self.entries(of:)) ?? [])
        case .date, .time, .dateTime: self = .dateTime(value.debugDescription)
        }
    }

    /// The value as it appears after "got" in an error: strings quoted, tables and arrays named.
    var shown: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .integer(let number): String(number)
        case .float(let number): Self.number(number)
        case .boolean(let flag): String(flag)
        case .array: "an array"
        case .table: "a table"
        case .dateTime(let text): text
        }
    }

    /// A double printed the way a person would write it: `600`, `1.5`.
    static func number(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int(value))
        }
        return String(value)
    }

    /// A string in TOML basic-string quotes, with quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16).uppercased()
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

/// Where and why a TOML document failed to parse; line and column count from 1.
struct TOMLSyntaxError: Error, Equatable {
    let line: Int
    let column: Int
    let message: String
}
