import AgentProtocol
import Foundation

/// An answer that was streaming when the journal ended, rebuilt from its partial lines.
struct PartialAnswer: Sendable, Equatable {
    var text: String = ""
    var reasoning: String = ""
    var startedAt: Date

    mutating func apply(text delta: PartialDelta?, reasoning reasoningDelta: PartialDelta?) {
        if let delta { text = Self.applying(delta, to: text) }
        if let reasoningDelta { reasoning = Self.applying(reasoningDelta, to: reasoning) }
    }

    var isEmpty: Bool { text.isEmpty && reasoning.isEmpty }

    /// The assistant message a reader shows for it: what was streamed, marked interrupted.
    var message: Message {
        Message(
            role: .assistant, content: text,
            metadata: MessageMetadata(
                createdAt: startedAt, interrupted: true, reasoning: reasoning.isEmpty ? nil : reasoning,
                note: "recovered streamed text after agent stopped before the answer completed"))
    }

    private static func applying(_ delta: PartialDelta, to base: String) -> String {
        // A `from` past the end means a line in between was unreadable: keep what we have.
        var scalars = String.UnicodeScalarView(base.unicodeScalars.prefix(max(0, delta.from)))
        scalars.append(contentsOf: delta.text.unicodeScalars)
        return String(scalars)
    }
}

/// Everything read from one journal file.
struct JournalContents: Sendable {
    var header: JournalHeader
    /// Title and model after every change in the file.
    var title: String?
    var model: String
    var messages: [Message]
    /// Compaction records that fit the messages before them, in order.
    var compactions: [SessionCompaction] = []
    /// Readable compaction records that did not fit (see `SessionCompaction.fits`).
    var ignoredCompactions = 0
    var skippedLines: Int
    /// Streamed text after the last message that no message or `partial_end` superseded.
    var partial: PartialAnswer?
    /// The `n` of the last readable line.
    var lastCount: Int
    /// Bytes up to and including the last newline: a writer continues from here.
    var terminatedLength: Int
    /// The file ends with a line that has no newline: a write that was cut off.
    var hasTornTail: Bool
    /// That unterminated last line is nevertheless a complete, readable event (only its newline
    /// is missing). A writer keeps it and adds the newline.
    var tornTailIsReadable: Bool
}

/// Why a file is not a session journal at all.
enum JournalReadFailure: Error, Sendable, Equatable {
    case noHeader(String)
    case unsupportedFormat(Int)
}

/// Parses journal bytes. Pure: no file access, so every damage case is testable on a byte array.
///
/// Invariants: the first line must be a header; an unreadable line elsewhere is counted in
/// `skippedLines` and never stops the read; an unreadable unterminated last line is a torn write
/// and is ignored without being counted.
struct JournalReader {
    private let decoder = JournalCoding.makeDecoder()

    func read(_ data: Data) throws(JournalReadFailure) -> JournalContents {
        let lines = Self.lineRanges(in: data)
        guard let first = lines.first else { throw .noHeader("the file is empty") }
        guard case .header(let header)? = decode(data[first.range]) else {
            throw .noHeader("the first line is not a session header")
        }
        guard first.isTerminated else { throw .noHeader("the header line is incomplete") }
        guard header.format <= JournalHeader.currentFormat else { throw .unsupportedFormat(header.format) }

        var contents = JournalContents(
            header: header, title: header.title, model: header.model, messages: [], skippedLines: 0, partial: nil,
            lastCount: header.count, terminatedLength: first.range.upperBound + 1 - data.startIndex, hasTornTail: false,
            tornTailIsReadable: false)
        contents.messages.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            if line.isTerminated { contents.terminatedLength = line.range.upperBound + 1 - data.startIndex }
            if line.range.isEmpty { continue }
            guard let event = decode(data[line.range]) else {
                if line.isTerminated { contents.skippedLines += 1 } else { contents.hasTornTail = true }
                continue
            }
            if !line.isTerminated {
                contents.hasTornTail = true
                contents.tornTailIsReadable = true
            }
            apply(event, to: &contents)
        }
        return contents
    }

    /// The event on one line, or nil when the line is not one.
    func decode(_ bytes: Data) -> JournalEvent? {
        if let event = JournalLineParser.event(from: bytes) { return event }
        return try? decoder.decode(JournalEvent.self, from: bytes)
    }

    private func apply(_ event: JournalEvent, to contents: inout JournalContents) {
        contents.lastCount = event.count
        switch event {
        case .header:
            // A second header is not something a writer produces; it carries nothing to apply.
            contents.skippedLines += 1
        case .message(let message, _):
            contents.messages.append(message)
            contents.partial = nil
        case .title(let title, _):
            contents.title = title
        case .model(let model, _):
            contents.model = model
        case .partial(let text, let reasoning, let at, _):
            var partial = contents.partial ?? PartialAnswer(startedAt: at)
            partial.apply(text: text, reasoning: reasoning)
            contents.partial = partial
        case .partialEnd:
            contents.partial = nil
        case .compaction(let compaction):
            if compaction.fits(contents.messages) {
                contents.compactions.append(compaction)
            } else {
                contents.ignoredCompactions += 1
            }
        }
    }

    struct Line {
        /// The bytes of the line without its newline.
        var range: Range<Int>
        var isTerminated: Bool
    }

    /// Splits `data` at newlines; the last piece is unterminated when the data does not end with one.
    static func lineRanges(in data: Data) -> [Line] {
        var lines: [Line] = []
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let remaining = buffer.count - start
                if let hit = memchr(base + start, 0x0A, remaining) {
                    let end = base.distance(to: UnsafeRawPointer(hit))
                    lines.append(Line(range: start..<end, isTerminated: true))
                    start = end + 1
                } else {
                    lines.append(Line(range: start..<buffer.count, isTerminated: false))
                    start = buffer.count
                }
            }
        }
        // Data slices keep the parent's indices; callers index with `data.startIndex`-based ranges.
        let offset = data.startIndex
        guard offset != 0 else { return lines }
        return lines.map { Line(range: ($0.range.lowerBound + offset)..<($0.range.upperBound + offset), isTerminated: $0.isTerminated) }
    }
}
