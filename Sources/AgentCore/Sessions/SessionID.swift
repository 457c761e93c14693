import Foundation

/// Session ids: `yyyyMMdd-HHmmss-xxxxxx`, the UTC creation time and six random hex digits.
///
/// They sort by creation time as plain strings, are unique in practice (a second and 24 random
/// bits; creation also refuses to replace an existing file) and are safe file names.
enum SessionID {
    static func generate(at date: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(at: date, using: &generator)
    }

    static func generate(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let stamp = timestamp(date)
        let random = UInt32.random(in: 0..<(1 << 24), using: &generator)
        let hex = String(random, radix: 16)
        return "\(stamp)-\(String(repeating: "0", count: 6 - hex.count))\(hex)"
    }

    /// `yyyyMMdd-HHmmss` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let v = value ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))"
    }

    /// Whether `id` can name a file in the store: letters, digits, `-`, `_` and `.`, not starting
    /// with a dot. Anything else (a `/`, `..`) is never looked up, so an id cannot escape the folder.
    static func isValid(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first != ".", id.utf8.count <= 200 else { return false }
        return id.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
            default: false
            }
        }
    }
}
