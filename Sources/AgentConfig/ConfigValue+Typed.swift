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

    func integer(atLeast minimum: Int, expected: String) throws(ValueMismatch) -> Int {
        guard case .integer(let number) = self, number >= minimum else { throw ValueMismatch(expected: expected) }
        return number
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

    func positiveSeconds() throws(ValueMismatch) -> Double {
        try number(expected: "a positive number of seconds") { $0 > 0 }
    }

    func nonNegativeSeconds() throws(ValueMismatch) -> Double {
        try number(expected: "a non-negative number of seconds") { $0 >= 0 }
    }
}
