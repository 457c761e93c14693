import NIOCore

/// Turns a number of seconds from a config file, a flag or a server into a duration without
/// trapping. The config layer range-checks too, but the client does not rely on it: NaN becomes
/// `fallback`, negatives become 0, and everything past `ceiling` (1e17, infinity) becomes it.
enum Seconds {
    /// The longest wait or timeout the client uses: 30 days, far past any real one and far from
    /// the limits of `Int64` nanoseconds.
    static let ceiling: Double = 30 * 86_400

    static func clamped(_ seconds: Double, fallback: Double = 0) -> Double {
        guard !seconds.isNaN else { return fallback }
        return Swift.min(Swift.max(seconds, 0), ceiling)
    }

    static func milliseconds(_ seconds: Double, fallback: Double = 0) -> Int64 {
        Int64((clamped(seconds, fallback: fallback) * 1000).rounded())
    }

    static func duration(_ seconds: Double, fallback: Double = 0) -> Duration {
        .milliseconds(milliseconds(seconds, fallback: fallback))
    }

    static func timeAmount(_ seconds: Double, fallback: Double = 0) -> TimeAmount {
        .milliseconds(milliseconds(seconds, fallback: fallback))
    }

    /// "60", "0.5": whole seconds without a fraction.
    static func text(_ seconds: Double) -> String {
        let value = clamped(seconds)
        return value.rounded() == value ? String(Int64(value)) : String(format: "%.1f", value)
    }
}

/// A size in words: `16 MiB`, `64 KiB`, `900 bytes`.
enum ByteCount {
    static func text(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
