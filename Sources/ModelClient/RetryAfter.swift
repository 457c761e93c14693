import Foundation

/// Reads a `Retry-After` header as RFC 9110 (section 10.2.3) defines it: `delay-seconds`, one
/// or more ASCII digits, or an `HTTP-date`.
///
/// Anything else is ignored (nil), so the caller falls back to its own backoff: "nan", "inf",
/// "-5", "1e300", "0x10" and "1.5" are not delay-seconds. A long run of digits is capped rather
/// than converted, and a date is taken relative to `now`, never below zero.
enum RetryAfter {
    /// Parsing cap; `RetryPolicy.maxRetryAfter` then caps what is honoured.
    static let maxSeconds: Double = 86_400

    static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            // Nine digits stay far inside Int; more than that is past the cap anyway.
            guard trimmed.utf8.count <= 9, let whole = Int(trimmed) else { return maxSeconds }
            return Swift.min(Double(whole), maxSeconds)
        }
        guard let date = httpDate(trimmed) else { return nil }
        let delta = date.timeIntervalSince(now)
        guard delta.isFinite else { return nil }
        return Swift.min(Swift.max(delta, 0), maxSeconds)
    }

    /// IMF-fixdate, and the two obsolete forms recipients must still accept (RFC 850, asctime).
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
