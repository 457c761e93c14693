import AgentProtocol
import Foundation

/// The first line of every journal: who the session is and, after a compaction, its current
/// title and model.
struct JournalHeader: Sendable, Equatable {
    /// Bumped only for changes an older reader would misread.
    static let currentFormat = 1

    var format: Int
    var id: String
    var created: Date
    var workingDirectory: String
    var model: String
    var title: String?
    /// Messages written before this header (non-zero after a compaction).
    var count: Int
}

/// Text appended to one field of a streaming answer: the field's first `from` unicode scalars
/// are kept and `text` is added after them. `from == 0` restarts the field.
struct PartialDelta: Sendable, Equatable, Codable {
    var from: Int
    var text: String
}

/// One line of a session journal (JSON Lines, one object per line, discriminated by `type`).
///
/// Every line after the header carries `n`, the number of messages in the session once the line
/// is applied, so the session list learns a message count from the last line alone.
enum JournalEvent: Sendable, Equatable {
    case header(JournalHeader)
    case message(Message, count: Int)
    /// `nil` clears the title.
    case title(String?, count: Int)
    case model(String, count: Int)
    /// The streamed text of the answer in progress. Superseded by the next message.
    case partial(text: PartialDelta?, reasoning: PartialDelta?, at: Date, count: Int)
    /// The answer in progress was abandoned; the partial text before this line is not an answer.
    case partialEnd(count: Int)
    /// From here on the earlier messages are sent as a summary (see `SessionCompaction`); its
    /// `afterMessages` is the line's `n`.
    case compaction(SessionCompaction)

    var count: Int {
        switch self {
        case .header(let header): header.count
        case .message(_, let count), .title(_, let count), .model(_, let count), .partialEnd(let count): count
        case .partial(_, _, _, let count): count
        case .compaction(let compaction): compaction.afterMessages
        }
    }
}

extension JournalEvent: Codable {
    private enum Kind: String, Codable {
        case session, message, title, model, partial, compaction
        case partialEnd = "partial_end"
    }

    private enum Keys: String, CodingKey {
        case type, n, format, id, created, cwd, model, title, message, at, text, reasoning
        case through, summary, focus, auto
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let count = try c.decodeIfPresent(Int.self, forKey: .n) ?? 0
        switch try c.decode(Kind.self, forKey: .type) {
        case .session:
            self = .header(
                JournalHeader(
                    format: try c.decode(Int.self, forKey: .format),
                    id: try c.decode(String.self, forKey: .id),
                    created: try c.decode(Date.self, forKey: .created),
                    workingDirectory: try c.decode(String.self, forKey: .cwd),
                    model: try c.decode(String.self, forKey: .model),
                    title: try c.decodeIfPresent(String.self, forKey: .title),
                    count: count))
        case .message:
            self = .message(try c.decode(Message.self, forKey: .message), count: count)
        case .title:
            self = .title(try c.decodeIfPresent(String.self, forKey: .title), count: count)
        case .model:
            self = .model(try c.decode(String.self, forKey: .model), count: count)
        case .partial:
            self = .partial(
                text: try c.decodeIfPresent(PartialDelta.self, forKey: .text),
                reasoning: try c.decodeIfPresent(PartialDelta.self, forKey: .reasoning),
                at: try c.decode(Date.self, forKey: .at), count: count)
        case .partialEnd:
            self = .partialEnd(count: count)
        case .compaction:
            self = .compaction(
                SessionCompaction(
                    afterMessages: count, through: try c.decode(Int.self, forKey: .through),
                    summary: try c.decode(String.self, forKey: .summary), createdAt: try c.decode(Date.self, forKey: .at),
                    focus: try c.decodeIfPresent(String.self, forKey: .focus),
                    automatic: try c.decodeIfPresent(Bool.self, forKey: .auto) ?? false))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .header(let header):
            try c.encode(Kind.session, forKey: .type)
            try c.encode(header.format, forKey: .format)
            try c.encode(header.id, forKey: .id)
            try c.encode(header.created, forKey: .created)
            try c.encode(header.workingDirectory, forKey: .cwd)
            try c.encode(header.model, forKey: .model)
            try c.encode(header.title, forKey: .title)
            try c.encode(header.count, forKey: .n)
        case .message(let message, let count):
            try c.encode(Kind.message, forKey: .type)
            try c.encode(count, forKey: .n)
            try c.encode(message, forKey: .message)
        case .title(let title, let count):
            try c.encode(Kind.title, forKey: .type)
            try c.encode(count, forKey: .n)
            try c.encode(title, forKey: .title)
        case .model(let model, let count):
            try c.encode(Kind.model, forKey: .type)
            try c.encode(count, forKey: .n)
            try c.encode(model, forKey: .model)
        case .partial(let text, let reasoning, let at, let count):
            try c.encode(Kind.partial, forKey: .type)
            try c.encode(count, forKey: .n)
            try c.encode(at, forKey: .at)
            try c.encodeIfPresent(text, forKey: .text)
            try c.encodeIfPresent(reasoning, forKey: .reasoning)
        case .partialEnd(let count):
            try c.encode(Kind.partialEnd, forKey: .type)
            try c.encode(count, forKey: .n)
        case .compaction(let compaction):
            try Self.encode(compaction, into: &c)
        }
    }

    private static func encode(_ compaction: SessionCompaction, into c: inout KeyedEncodingContainer<Keys>) throws {
        try c.encode(Kind.compaction, forKey: .type)
        try c.encode(compaction.afterMessages, forKey: .n)
        try c.encode(compaction.through, forKey: .through)
        try c.encode(compaction.createdAt, forKey: .at)
        try c.encode(compaction.automatic, forKey: .auto)
        try c.encodeIfPresent(compaction.focus, forKey: .focus)
        try c.encode(compaction.summary, forKey: .summary)
    }
}

/// The JSON settings of journal lines: compact (never a raw newline inside a line) and dates as
/// UTC ISO 8601 with milliseconds, readable by people and by `jq`.
enum JournalCoding {
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(JournalTimestamp.format(date))
        }
        return encoder
    }

    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            if let date = JournalTimestamp.parse(Array(text.utf8)) { return date }
            // Dates written by hand or by other tools, e.g. with an offset instead of Z.
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }

    /// One line: the event's JSON followed by a newline.
    static func line(_ event: JournalEvent, encoder: JSONEncoder) throws(SessionIOError) -> Data {
        var data: Data
        do {
            data = try encoder.encode(event)
        } catch {
            // Events hold only strings, integers and dates; this is not expected to happen.
            throw SessionIOError(operation: "encode", path: "session event", code: EINVAL)
        }
        data.append(0x0A)
        return data
    }
}
