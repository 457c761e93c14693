import Foundation

/// An incremental splitter of newline-delimited JSON (`application/x-ndjson`, one object a line),
/// the framing of Ollama's native API.
///
/// Invariants: feeding the same bytes split at any points yields the same lines; a line ends at
/// "\n" (a "\r" before it is dropped); blank lines are skipped; a last line without a newline is
/// handed over by `finish()`. Memory is bounded: a line longer than `maxBytes` sets `overflowed`
/// and nothing more is read. Pure, with no I/O, so a fuzzer can drive it directly.
public struct NDJSONLineReader: Sendable {
    /// The same bound as `SSEParser.defaultMaxBytes`: Ollama sends each tool call whole in one
    /// line, and a call that writes a large file is a few MiB.
    public static let defaultMaxBytes = SSEParser.defaultMaxBytes

    /// The start of a line whose end has not arrived yet.
    private var pending: [UInt8] = []
    public let maxBytes: Int
    public private(set) var overflowed = false

    public init(maxBytes: Int = NDJSONLineReader.defaultMaxBytes) {
        self.maxBytes = max(1, maxBytes)
    }

    /// Calls `onLine` with each complete, non-blank line; the bytes live only for the call.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, onLine: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard !overflowed, let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            guard let hit = memchr(base + start, 0x0A, bytes.count - start) else {
                guard pending.count + bytes.count - start <= maxBytes else { return overflow() }
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
                return
            }
            let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if pending.isEmpty {
                guard piece.count <= maxBytes else { return overflow() }
                emit(piece, onLine)
            } else {
                guard pending.count + piece.count <= maxBytes else { return overflow() }
                pending.append(contentsOf: piece)
                pending.withUnsafeBufferPointer { emit($0, onLine) }
                pending.removeAll(keepingCapacity: pending.capacity <= 1 << 16)
            }
            start = end + 1
        }
    }

    /// Hands over a last line that had no newline.
    public mutating func finish(onLine: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard !overflowed, !pending.isEmpty else { return }
        pending.withUnsafeBufferPointer { emit($0, onLine) }
        pending = []
    }

    /// The lines of `bytes` as strings; for tests and tools, the client uses the closure form.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        Array(bytes).withUnsafeBufferPointer { buffer in
            feed(buffer) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        return lines
    }

    public mutating func finish() -> [String] {
        var lines: [String] = []
        finish { lines.append(String(decoding: $0, as: UTF8.self)) }
        return lines
    }

    private func emit(_ line: UnsafeBufferPointer<UInt8>, _ onLine: (UnsafeBufferPointer<UInt8>) -> Void) {
        var end = line.count
        if end > 0, line[end - 1] == 0x0D { end -= 1 }
        var start = 0
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        guard start < end else { return }
        onLine(UnsafeBufferPointer(rebasing: line[start..<end]))
    }

    private mutating func overflow() {
        overflowed = true
        pending = []
    }
}
