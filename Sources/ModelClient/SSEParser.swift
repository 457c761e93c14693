import Foundation

/// One server-sent event: its data lines joined by "\n".
public struct SSEEvent: Sendable, Equatable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}

/// An incremental parser for `text/event-stream` (the WHATWG rules that chat servers use).
///
/// Invariant: feeding the same bytes split at any points yields the same events. Lines end with
/// "\r\n", "\n" or "\r"; a "\r" at the end of one chunk and "\n" at the start of the next are one
/// line ending. Comment lines (":") are ignored; an event is dispatched at a blank line, and by
/// `finish()` when the stream ends without one.
///
/// The buffer-and-closure form is the one the client uses: a line that lies whole inside one
/// network buffer is read in place, and an event's data is handed over as bytes, so a long answer
/// costs no per-line allocation.
///
/// Memory is bounded: a line or an event's data longer than `maxBytes` sets `overflowed` and the
/// parser reads nothing more (the client then fails the attempt as a malformed stream).
public struct SSEParser: Sendable {
    /// 16 MiB: far above any chunk (a tool call writing a large file is a few MiB), far below
    /// what would hurt.
    public static let defaultMaxBytes = 16 << 20

    /// The start of a line whose end has not arrived yet.
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    /// The data of the event being read when it is one line still in the buffer being fed (its
    /// offsets there); `data` holds it otherwise.
    private var inPlace: Range<Int>?
    private var hasData = false
    private var eventName: String?
    private var afterCR = false
    public let maxBytes: Int
    /// A line or an event grew past `maxBytes`; everything after it is ignored.
    public private(set) var overflowed = false

    public init(maxBytes: Int = SSEParser.defaultMaxBytes) {
        self.maxBytes = max(1, maxBytes)
    }

    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [SSEEvent] {
        Self.collect { onEvent in Array(bytes).withUnsafeBufferPointer { feed($0, onEvent: onEvent) } }
    }

    /// Flushes what a stream left without a final newline.
    public mutating func finish() -> [SSEEvent] {
        Self.collect { onEvent in finish(onEvent: onEvent) }
    }

    private static func collect(_ step: ((UnsafeBufferPointer<UInt8>, String?) -> Void) -> Void) -> [SSEEvent] {
        var events: [SSEEvent] = []
        step { data, name in events.append(SSEEvent(event: name, data: String(decoding: data, as: UTF8.self))) }
        return events
    }

    /// Calls `onEvent` with each complete event's data and name; the bytes live only for the call.
    ///
    /// Lines are found with `memchr` (vectorised in libc) rather than byte by byte, and an event
    /// whose one data line and blank line both lie in `bytes` is handed over in place, uncopied:
    /// that is every event of a stream but the few cut by a network read.
    public mutating func feed(
        _ bytes: UnsafeBufferPointer<UInt8>, onEvent: (UnsafeBufferPointer<UInt8>, String?) -> Void
    ) {
        guard !overflowed, let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // Data still in place when `bytes` ends is copied: the bytes live only for this call.
        defer { keepInPlaceData(bytes) }
        let count = bytes.count
        var start = 0
        if afterCR {
            afterCR = false
            if bytes[0] == 0x0A { start = 1 }
        }
        while start < count {
            let (end, isCR) = Self.lineEnd(base, from: start, to: count)
            let piece = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard end < count else {
                guard line.count + piece.count <= maxBytes else { return overflow() }
                line.append(contentsOf: piece)
                return
            }
            if line.isEmpty {
                endLine(piece, in: bytes, onEvent)
            } else {
                keepInPlaceData(bytes)
                endJoinedLine(piece, onEvent)
            }
            if overflowed { return }
            var next = end + 1
            if isCR {
                if next == count {
                    afterCR = true
                } else if bytes[next] == 0x0A {
                    next += 1
                }
            }
            start = next
        }
    }

    /// Ends the line begun in an earlier buffer with `piece`.
    private mutating func endJoinedLine(
        _ piece: UnsafeBufferPointer<UInt8>, _ onEvent: (UnsafeBufferPointer<UInt8>, String?) -> Void
    ) {
        // Moved out so that reading it does not overlap with endLine's writes to self.
        var joined: [UInt8] = []
        swap(&joined, &line)
        joined.append(contentsOf: piece)
        joined.withUnsafeBufferPointer { endLine($0, in: nil, onEvent) }
        joined.removeAll(keepingCapacity: true)
        swap(&joined, &line)
    }

    /// Where the line starting at `start` ends ("\n", "\r", or `count` when it does not end
    /// here), and whether that is a "\r". Two `memchr`s: the "\n", then a "\r" before it.
    private static func lineEnd(_ base: UnsafePointer<UInt8>, from start: Int, to count: Int) -> (Int, Bool) {
        var end = count
        if let newline = memchr(base + start, 0x0A, count - start) {
            end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
        }
        if let carriageReturn = memchr(base + start, 0x0D, end - start) {
            return (base.distance(to: carriageReturn.assumingMemoryBound(to: UInt8.self)), true)
        }
        return (end, false)
    }

    public mutating func finish(onEvent: (UnsafeBufferPointer<UInt8>, String?) -> Void) {
        guard !overflowed else { return }
        if !line.isEmpty {
            var rest: [UInt8] = []
            swap(&rest, &line)
            rest.withUnsafeBufferPointer { endLine($0, in: nil, onEvent) }
        }
        dispatch(in: nil, onEvent)
        afterCR = false
    }

    /// `bytes` is the buffer being fed when `line` lies inside it (so its data may stay there
    /// until the event is dispatched), nil when `line` was joined from pieces.
    private mutating func endLine(
        _ line: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>?,
        _ onEvent: (UnsafeBufferPointer<UInt8>, String?) -> Void
    ) {
        guard let first = line.first else { return dispatch(in: bytes, onEvent) }
        if first == UInt8(ascii: ":") { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = UnsafeBufferPointer(rebasing: line[..<colon])
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart...])
        if Self.isField(field, "data") {
            appendData(value, in: bytes)
        } else if Self.isField(field, "event") {
            eventName = String(decoding: value, as: UTF8.self)
        }
        // "id" and "retry" carry nothing a chat stream needs.
    }

    private mutating func appendData(_ value: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>?) {
        if !hasData, let bytes, let base = bytes.baseAddress, let start = value.baseAddress {
            guard value.count <= maxBytes else { return overflow() }
            let offset = base.distance(to: start)
            inPlace = offset..<offset + value.count
            hasData = true
            return
        }
        if let bytes { keepInPlaceData(bytes) }
        guard data.count + value.count <= maxBytes else { return overflow() }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: value)
        hasData = true
    }

    /// Copies data left in place in `bytes` into `data`, before `bytes` goes away or more data
    /// joins it.
    private mutating func keepInPlaceData(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let range = inPlace else { return }
        inPlace = nil
        data.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    private mutating func overflow() {
        overflowed = true
        line = []
        data = []
        inPlace = nil
        hasData = false
    }

    private static func isField(_ field: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        field.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    private mutating func dispatch(
        in bytes: UnsafeBufferPointer<UInt8>?, _ onEvent: (UnsafeBufferPointer<UInt8>, String?) -> Void
    ) {
        if let range = inPlace, let bytes {
            inPlace = nil
            onEvent(UnsafeBufferPointer(rebasing: bytes[range]), eventName)
        } else if hasData {
            data.withUnsafeBufferPointer { onEvent($0, eventName) }
        }
        if !data.isEmpty { data.removeAll(keepingCapacity: true) }
        hasData = false
        if eventName != nil { eventName = nil }
    }
}
