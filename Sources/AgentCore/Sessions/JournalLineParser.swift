import AgentProtocol
import Foundation

/// A fast reader for the journal lines this module writes.
///
/// Foundation's `JSONDecoder` spends most of a resume in generic keyed-container machinery
/// (about 45 µs a message here); this reads the known event shapes directly, several times
/// faster. It is deliberately strict: any key or value it does not expect makes it return nil,
/// and the caller then decodes the line with `JSONDecoder` and the `Codable` conformances, which
/// stay the definition of the format. So a field added to `Message` later is never dropped.
struct JournalLineParser {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func event(from line: Data) -> JournalEvent? {
        line.withUnsafeBytes { raw in
            var parser = JournalLineParser(raw)
            guard let event = parser.event() else { return nil }
            parser.skipSpace()
            return parser.index == raw.count ? event : nil
        }
    }

    // MARK: - Events

    /// The fields an event line may carry; which of them it needs depends on its `type`.
    private struct EventFields {
        var type: String?
        var count = 0
        var format: Int?
        var id: String?
        var created: Date?
        var cwd: String?
        var model: String?
        var title: String?
        var message: Message?
        var at: Date?
        var text: PartialDelta?
        var reasoning: PartialDelta?

        var event: JournalEvent? {
            switch type {
            case "session":
                guard let format, let id, let created, let cwd, let model else { return nil }
                return .header(
                    JournalHeader(
                        format: format, id: id, created: created, workingDirectory: cwd, model: model, title: title,
                        count: count))
            case "message": return message.map { .message($0, count: count) }
            case "title": return .title(title, count: count)
            case "model": return model.map { .model($0, count: count) }
            case "partial": return at.map { .partial(text: text, reasoning: reasoning, at: $0, count: count) }
            case "partial_end": return .partialEnd(count: count)
            default: return nil
            }
        }
    }

    private mutating func event() -> JournalEvent? {
        var fields = EventFields()
        let complete = object { parser, key in
            switch key {
            case "type": return store(parser.string(), in: &fields.type)
            case "n": return store(parser.integer(), in: &fields.count)
            case "format": return store(parser.integer(), in: &fields.format)
            case "id": return store(parser.string(), in: &fields.id)
            case "created": return store(parser.date(), in: &fields.created)
            case "cwd": return store(parser.string(), in: &fields.cwd)
            case "model": return store(parser.string(), in: &fields.model)
            case "title": return store(parser.nullable { $0.string() }, in: &fields.title)
            case "message": return store(parser.message(), in: &fields.message)
            case "at": return store(parser.date(), in: &fields.at)
            case "text": return store(parser.nullable { $0.delta() }, in: &fields.text)
            case "reasoning": return store(parser.nullable { $0.delta() }, in: &fields.reasoning)
            default: return false
            }
        }
        return complete ? fields.event : nil
    }

    private mutating func message() -> Message? {
        var role: Role?
        var content = ""
        var toolCalls: [ToolCall] = []
        var toolCallID: String?
        var name: String?
        var metadata: MessageMetadata?
        let complete = object { parser, key in
            switch key {
            case "role": return store(parser.string().flatMap(Role.init(rawValue:)), in: &role)
            case "content": return store(parser.nullable { $0.string() }.map { $0 ?? "" }, in: &content)
            case "tool_calls": return store(parser.nullable { $0.toolCalls() }.map { $0 ?? [] }, in: &toolCalls)
            case "tool_call_id": return store(parser.nullable { $0.string() }, in: &toolCallID)
            case "name": return store(parser.nullable { $0.string() }, in: &name)
            case "meta": return store(parser.nullable { $0.metadata() }, in: &metadata)
            default: return false
            }
        }
        guard complete, let role else { return nil }
        return Message(
            role: role, content: content, toolCalls: toolCalls, toolCallID: toolCallID, name: name,
            metadata: metadata ?? MessageMetadata())
    }

    private mutating func toolCalls() -> [ToolCall]? {
        var calls: [ToolCall] = []
        let complete = array { parser in
            var id: String?
            var name: String?
            var arguments: String?
            let complete = parser.object { parser, key in
                switch key {
                case "id": return store(parser.string(), in: &id)
                case "name": return store(parser.string(), in: &name)
                case "arguments": return store(parser.string(), in: &arguments)
                default: return false
                }
            }
            guard complete, let id, let name, let arguments else { return false }
            calls.append(ToolCall(id: id, name: name, arguments: arguments))
            return true
        }
        return complete ? calls : nil
    }

    private mutating func metadata() -> MessageMetadata? {
        var createdAt: Date?
        var interrupted: Bool?
        var reasoning: String?
        var note: String?
        var window: ContextWindow?
        var trimmedFrom: Int?
        let complete = object { parser, key in
            switch key {
            case "createdAt": return store(parser.date(), in: &createdAt)
            case "interrupted": return store(parser.boolean(), in: &interrupted)
            case "reasoning": return store(parser.nullable { $0.string() }, in: &reasoning)
            case "note": return store(parser.nullable { $0.string() }, in: &note)
            case "window": return store(parser.nullable { $0.window() }, in: &window)
            case "trimmedFrom": return store(parser.nullable { $0.integer() }, in: &trimmedFrom)
            default: return false
            }
        }
        guard complete, let createdAt, let interrupted else { return nil }
        return MessageMetadata(
            createdAt: createdAt, interrupted: interrupted, reasoning: reasoning, note: note, window: window,
            trimmedFrom: trimmedFrom)
    }

    private mutating func window() -> ContextWindow? {
        var tokens: Int?
        var source: ContextWindow.Source?
        let complete = object { parser, key in
            switch key {
            case "tokens": return store(parser.integer(), in: &tokens)
            case "source": return store(parser.string().flatMap(ContextWindow.Source.init(rawValue:)), in: &source)
            default: return false
            }
        }
        guard complete, let tokens, let source else { return nil }
        return ContextWindow(tokens: tokens, source: source)
    }

    private mutating func delta() -> PartialDelta? {
        var from: Int?
        var text: String?
        let complete = object { parser, key in
            switch key {
            case "from": return store(parser.integer(), in: &from)
            case "text": return store(parser.string(), in: &text)
            default: return false
            }
        }
        guard complete, let from, let text else { return nil }
        return PartialDelta(from: from, text: text)
    }

    // MARK: - JSON values

    /// Reads `{ "key": value, ... }`, handing each key to `member`, which reads the value and
    /// returns false to give up. A value that failed to parse leaves the member's variable nil.
    /// A key given twice makes the line the decoder's: `JSONDecoder` keeps the first value, and
    /// this parser must never read a line differently from it (found by scripts/fuzz FuzzJournal).
    private mutating func object(_ member: (inout JournalLineParser, String) -> Bool) -> Bool {
        guard consume(0x7B) else { return false }
        if consume(0x7D) { return true }
        var seen: [String] = []
        repeat {
            guard let key = string(), !seen.contains(key), consume(0x3A), member(&self, key) else { return false }
            seen.append(key)
        } while consume(0x2C)
        return consume(0x7D)
    }

    private mutating func array(_ element: (inout JournalLineParser) -> Bool) -> Bool {
        guard consume(0x5B) else { return false }
        if consume(0x5D) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(0x2C)
        return consume(0x5D)
    }

    /// `.some(nil)` for `null`, `.some(value)` for a value `read` accepts, nil when neither.
    private mutating func nullable<T>(_ read: (inout JournalLineParser) -> T?) -> T?? {
        if literal("null") { return .some(nil) }
        return read(&self).map { .some($0) }
    }

    private mutating func integer() -> Int? {
        skipSpace()
        let negative = index < bytes.count && bytes[index] == 0x2D
        if negative { index += 1 }
        let start = index
        var value = 0
        while index < bytes.count, (48...57).contains(bytes[index]), index - start < 18 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        guard index > start else { return nil }
        // A fraction or exponent is left to the general decoder.
        if index < bytes.count {
            switch bytes[index] {
            case 0x2E, 0x45, 0x65, 48...57: return nil
            default: break
            }
        }
        return negative ? -value : value
    }

    private mutating func boolean() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    private mutating func date() -> Date? {
        skipSpace()
        guard consume(0x22) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != 0x22 {
            guard bytes[index] != 0x5C else { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let date = JournalTimestamp.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        index += 1
        return date
    }

    private mutating func string() -> String? {
        skipSpace()
        guard consume(0x22) else { return nil }
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x22:
                let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            case 0x5C:
                return escapedString(from: start)
            case 0..<0x20:
                return nil
            default:
                index += 1
            }
        }
        return nil
    }

    /// The slow path for strings with escapes, from `start` (just after the opening quote).
    private mutating func escapedString(from start: Int) -> String? {
        var utf8 = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x22:
                return String(validating: utf8, as: UTF8.self)
            case 0..<0x20:
                return nil
            case 0x5C:
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case 0x22, 0x5C, 0x2F: utf8.append(escape)
                case 0x62: utf8.append(0x08)
                case 0x66: utf8.append(0x0C)
                case 0x6E: utf8.append(0x0A)
                case 0x72: utf8.append(0x0D)
                case 0x74: utf8.append(0x09)
                case 0x75:
                    guard let scalar = unicodeEscape() else { return nil }
                    utf8.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            default:
                utf8.append(byte)
            }
        }
        return nil
    }

    /// After `\u`: four hex digits, joined with a following `\uDC00`-style low surrogate if needed.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let unit = hex4() else { return nil }
        switch unit {
        case 0xD800..<0xDC00:
            guard consume(0x5C, skippingSpace: false), consume(0x75, skippingSpace: false), let low = hex4(),
                (0xDC00..<0xE000).contains(low)
            else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        case 0xDC00..<0xE000:
            return nil
        default:
            return Unicode.Scalar(unit)
        }
    }

    private mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func consume(_ byte: UInt8, skippingSpace: Bool = true) -> Bool {
        if skippingSpace { skipSpace() }
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D, 0x0A: index += 1
            default: return
            }
        }
    }
}

/// Keeps a successfully read value; a failed read (nil) stops the parse.
private func store<T>(_ value: T?, in target: inout T?) -> Bool {
    guard let value else { return false }
    target = value
    return true
}

private func store<T>(_ value: T?, in target: inout T) -> Bool {
    guard let value else { return false }
    target = value
    return true
}
