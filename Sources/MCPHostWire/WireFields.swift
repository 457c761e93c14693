import AgentProtocol

/// The fields of one message, read with their types checked and every number range-checked
/// before it is converted: a hostile or broken peer gets an error naming the field, never a trap.
struct WireFields {
    let values: [String: JSONValue]

    init(_ values: [String: JSONValue]) { self.values = values }

    private func present(_ key: String) -> JSONValue? {
        guard let value = values[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(WireError) -> String {
        guard let value = present(key) else { throw .missingField(key) }
        guard case .string(let text) = value else { throw .badField(key, expected: "a string") }
        return text
    }

    func optionalString(_ key: String) throws(WireError) -> String? {
        guard present(key) != nil else { return nil }
        return try string(key)
    }

    func bool(_ key: String) throws(WireError) -> Bool {
        guard let value = present(key) else { throw .missingField(key) }
        guard case .bool(let flag) = value else { throw .badField(key, expected: "true or false") }
        return flag
    }

    func optionalBool(_ key: String) throws(WireError) -> Bool? {
        guard present(key) != nil else { return nil }
        return try bool(key)
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(WireError) -> Int {
        guard let value = present(key) else { throw .missingField(key) }
        let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
        guard case .number(let number) = value, number.rounded() == number,
            number >= Double(range.lowerBound), number <= Double(range.upperBound)
        else { throw .badField(key, expected: expected) }
        return Int(number)
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(WireError) -> Int? {
        guard present(key) != nil else { return nil }
        return try int(key, in: range)
    }

    func seconds(_ key: String) throws(WireError) -> Double {
        guard let value = present(key) else { throw .missingField(key) }
        let range = HostWire.timeoutRange
        guard case .number(let number) = value, range.contains(number) else {
            throw .badField(key, expected: "a number of seconds from \(range.lowerBound) to \(Int(range.upperBound))")
        }
        return number
    }

    func object(_ key: String) throws(WireError) -> [String: JSONValue] {
        guard let value = present(key) else { throw .missingField(key) }
        guard case .object(let object) = value else { throw .badField(key, expected: "an object") }
        return object
    }

    func optionalObject(_ key: String) throws(WireError) -> [String: JSONValue]? {
        guard present(key) != nil else { return nil }
        return try object(key)
    }

    func array(_ key: String) throws(WireError) -> [JSONValue] {
        guard let value = present(key) else { throw .missingField(key) }
        guard case .array(let items) = value else { throw .badField(key, expected: "an array") }
        return items
    }

    func optionalArray(_ key: String) throws(WireError) -> [JSONValue]? {
        guard present(key) != nil else { return nil }
        return try array(key)
    }

    func strings(_ key: String) throws(WireError) -> [String] {
        try (optionalArray(key) ?? []).map { item throws(WireError) -> String in
            guard case .string(let text) = item else { throw .badField(key, expected: "an array of strings") }
            return text
        }
    }

    func stringMap(_ key: String) throws(WireError) -> [String: String] {
        var result: [String: String] = [:]
        for (name, item) in try optionalObject(key) ?? [:] {
            guard case .string(let text) = item else { throw .badField(key, expected: "an object of strings") }
            result[name] = text
        }
        return result
    }

    /// The fields of each object in the array `key`.
    func objects(_ key: String) throws(WireError) -> [WireFields] {
        try (optionalArray(key) ?? []).map { item throws(WireError) -> WireFields in
            guard case .object(let object) = item else { throw .badField(key, expected: "an array of objects") }
            return WireFields(object)
        }
    }
}
