/// A value did not fit its key; `expected` completes "expected …" in the error message.
struct ValueMismatch: Error, Equatable {
    let expected: String
}

/// Typed reads used by `SettingKey.assign`: each accepts exactly its TOML type (integers are
/// also accepted where a number of seconds is expected) and throws the key's expectation.
extension ConfigValue {
    func text(nonEmpty: Bool, expected: String) throws(ValueMismatch) -> String {
        guard case .string(let text) = self, !(nonEmpty && text.isEmpty) else {
            throw ValueMismatch(expected: expected)
        }
        return text
    }

    func flag() throws(ValueMismatch) -> Bool {
        guard case .boolean(let flag) = self else { throw ValueMismatch(expected: "true or false") }
        return flag
    }

    /// A finite number accepted by `isValid`; TOML integers count as numbers.
    func number(expected: String, where isValid: (Double) -> Bool) throws(ValueMismatch) -> Double {
        let number: Double
        switch self {
        case .integer(let integer): number = Double(integer)
        case .float(let float): number = float
        case .string, .boolean, .array, .table, .dateTime: throw ValueMismatch(expected: expected)
        }
        guard number.isFinite, isValid(number) else { throw ValueMismatch(expected: expected) }
        return number
    }

    /// The longest duration any key accepts: about 11.5 days. Past it a value is a mistake, and
    /// well before the conversions that would trap (1e17 s overflows nanoseconds in an `Int64`).
    static let maxSeconds: Double = 1_000_000

    func positiveSeconds() throws(ValueMismatch) -> Double {
        try number(expected: "a positive number of seconds, at most 1000000") { $0 > 0 && $0 <= Self.maxSeconds }
    }

    func nonNegativeSeconds() throws(ValueMismatch) -> Double {
        try number(expected: "a non-negative number of seconds, at most 1000000") { $0 >= 0 && $0 <= Self.maxSeconds }
    }

    /// An integer in `range`; `expected` names the range for the message.
    func integer(in range: ClosedRange<Int>, expected: String) throws(ValueMismatch) -> Int {
        guard case .integer(let number) = self, range.contains(number) else { throw ValueMismatch(expected: expected) }
        return number
    }
}
