import Foundation

/// Cuts a byte stream into lines, incrementally, never holding more than `maxLineBytes` of one
/// line: the bytes of a longer one are counted and dropped up to its newline, and it is
/// reported as `oversized`, so a peer that never sends a newline cannot grow memory.
///
/// Pure: the reader thread feeds it what `read(2)` returned; the tests feed it every split.
public struct LineFramer: Sendable {
    public enum Piece: Sendable, Equatable {
        /// A line without its newline (never empty: blank lines are skipped).
        case line(Data)
        /// A line longer than the limit, dropped; its length in bytes.
        case oversized(bytes: Int)
    }

    public let maxLineBytes: Int
    private var pending = Data()
    /// Bytes dropped so far of the line being discarded; nil when not discarding.
    private var dropped: Int?

    public init(maxLineBytes: Int = HostWire.maxLineBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The lines `bytes` completes, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                take(rest, into: &pieces)
                break
            }
            take(rest[..<newline], into: &pieces)
            finishLine(into: &pieces)
            rest = rest[rest.index(after: newline)...]
        }
        return pieces
    }

    /// At the end of the input: the last line when it had no newline.
    public mutating func finish() -> [Piece] {
        var pieces: [Piece] = []
        finishLine(into: &pieces)
        return pieces
    }

    private mutating func take(_ part: some Collection<UInt8>, into pieces: inout [Piece]) {
        if let count = dropped {
            dropped = count + part.count
        } else if pending.count + part.count > maxLineBytes {
            dropped = pending.count + part.count
            pending = Data()
        } else {
            pending.append(contentsOf: part)
        }
    }

    private mutating func finishLine(into pieces: inout [Piece]) {
        if let count = dropped {
            pieces.append(.oversized(bytes: count))
            dropped = nil
        } else if !pending.isEmpty {
            pieces.append(.line(pending))
            pending = Data()
        }
    }
}
