@testable import AgentCore
import AgentProtocol
import Foundation
import Testing

/// The fast line parser must read exactly what `Codable` reads, or step aside.
@Suite("Journal line parser")
struct JournalLineParserTests {
    private let encoder = JournalCoding.makeEncoder()
    private let decoder = JournalCoding.makeDecoder()

    private func line(_ event: JournalEvent) throws -> Data {
        try JournalCoding.line(event, encoder: encoder).dropLast()
    }

    private static let awkwardTexts = [
        "", "plain", "quote \" backslash \\ slash /", "new\nline\ttab\r\u{8}\u{C}", "\u{1} control \u{1F}",
        "ünïcödé 漢字 🚀👩‍👩‍👧", "\u{2028}\u{2029}", "{\"json\": [1, 2]}",
    ]

    private static func randomMessage(_ generator: inout SeededGenerator) -> Message {
        func text() -> String {
            (0..<Int.random(in: 0...3, using: &generator)).map { _ in awkwardTexts.randomElement(using: &generator) ?? "" }
                .joined()
        }
        let role = [Role.system, .user, .assistant, .tool].randomElement(using: &generator) ?? .user
        let calls = (0..<Int.random(in: 0...2, using: &generator)).map { index in
            ToolCall(id: "call_\(index)", name: text(), arguments: text())
        }
        let metadata = MessageMetadata(
            createdAt: exactDate(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 8),
            interrupted: Bool.random(using: &generator), reasoning: Bool.random(using: &generator) ? text() : nil,
            note: Bool.random(using: &generator) ? text() : nil)
        return Message(
            role: role, content: text(), toolCalls: role == .assistant ? calls : [],
            toolCallID: role == .tool ? "call_0" : nil, name: role == .tool ? text() : nil, metadata: metadata)
    }

    @Test func readsEveryEventKindExactlyAsCodableDoes() throws {
        var generator = SeededGenerator(seed: 42)
        var events: [JournalEvent] = [
            .header(
                JournalHeader(
                    format: 1, id: "20260101-000000-abcdef", created: exactDate(), workingDirectory: "/tmp/a \"b\"",
                    model: "qwen3:8b", title: nil, count: 0)),
            .header(
                JournalHeader(
                    format: 1, id: "x", created: exactDate(1), workingDirectory: "/", model: "m", title: "T 🚀", count: 12)),
            .title(nil, count: 3), .title("New title", count: 4), .model("llama", count: 5), .partialEnd(count: 6),
            .partial(text: PartialDelta(from: 0, text: "Hel\"lo"), reasoning: nil, at: exactDate(2), count: 7),
            .partial(text: nil, reasoning: PartialDelta(from: 12, text: "why"), at: exactDate(3), count: 7),
        ]
        for _ in 0..<300 { events.append(.message(Self.randomMessage(&generator), count: events.count)) }

        for event in events {
            let bytes = try line(event)
            let fast = try #require(JournalLineParser.event(from: bytes), "fast parser gave up on \(String(decoding: bytes, as: UTF8.self))")
            #expect(fast == event)
            #expect(try decoder.decode(JournalEvent.self, from: bytes) == event)
        }
    }

    @Test(arguments: [
        // Unknown keys: a newer writer's field must not be dropped silently.
        #"{"type":"message","n":1,"message":{"role":"user","content":"x","future":true,"meta":{"createdAt":"2026-01-01T00:00:00.000Z","interrupted":false}}}"#,
        #"{"type":"title","n":1,"title":"x","extra":1}"#,
        // Numbers written another way, whitespace, escapes the encoder never writes.
        #"{"type":"partial_end","n":1.0}"#,
        #"{"type":"title","n":1,"title":"\u00e9"}"#,
        #"{ "type" : "model" , "n" : 2 , "model" : "m" }"#,
    ])
    func linesItDoesNotExpectGoToCodable(_ text: String) throws {
        let bytes = Data(text.utf8)
        let viaReader = JournalReader().decode(bytes)
        let viaCodable = try? decoder.decode(JournalEvent.self, from: bytes)
        #expect(viaReader == viaCodable)
    }

    @Test(arguments: [
        "", "{", "{}", "[]", "null", #"{"type":"message","n":1}"#, #"{"type":"nope","n":1}"#,
        #"{"type":"title","n":1,"title":"unterminated}"#, #"{"type":"title","n":1,"title":"x"} trailing"#,
        #"{"type":"title","n":1,"title":"bad \q escape"}"#, #"{"type":"title","n":1,"title":"\ud800 lone"}"#,
    ])
    func malformedLinesAreRejected(_ text: String) {
        #expect(JournalLineParser.event(from: Data(text.utf8)) == nil)
        #expect((try? decoder.decode(JournalEvent.self, from: Data(text.utf8))) == nil || text.contains("\\u"))
    }

    @Test func invalidUTF8IsRejected() {
        var bytes = Data(#"{"type":"title","n":1,"title":""#.utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0x22, 0x7D])
        #expect(JournalLineParser.event(from: bytes) == nil)
    }

    @Test func timestampsRoundTripAtMillisecondPrecision() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let seconds = Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            let date = Date(timeIntervalSince1970: seconds)
            let text = JournalTimestamp.format(date)
            let parsed = try #require(JournalTimestamp.parse(Array(text.utf8)), "\(text)")
            #expect(abs(parsed.timeIntervalSince(date)) <= 0.0005 + 1e-6, "\(text)")
            #expect(JournalTimestamp.format(parsed) == text)
            let reference = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
            #expect(abs(reference.timeIntervalSince(parsed)) < 1e-6, "\(text)")
        }
        #expect(JournalTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JournalTimestamp.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        for bad in ["2026-13-01T00:00:00Z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z"] {
            #expect(JournalTimestamp.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    /// JSONDecoder keeps the first of two equal keys; the fast parser used to keep the last, so
    /// a line read differently depending on the path (found by scripts/fuzz FuzzJournal).
    @Test func aKeyGivenTwiceIsLeftToTheDecoder() throws {
        let text = #"{"type":"title","n":2,"title":"first","title":"second"}"#
        #expect(JournalLineParser.event(from: Data(text.utf8)) == nil)
        #expect(try decoder.decode(JournalEvent.self, from: Data(text.utf8)) == .title("first", count: 2))
        #expect(JournalReader().decode(Data(text.utf8)) == .title("first", count: 2))
    }
}
