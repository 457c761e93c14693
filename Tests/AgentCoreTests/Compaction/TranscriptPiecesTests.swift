import AgentProtocol
import Foundation
import Testing
@testable import AgentCore

@Suite struct TranscriptPiecesTests {
    let tokens: @Sendable (String) -> Int = { ($0.utf8.count + 2) / 3 }

    func pieces(_ messages: [Message], capacity: Int) -> [String] {
        let splitter = TranscriptPieces(capacity: capacity, tokens: tokens)
        var index = 0
        var result: [String] = []
        while let piece = splitter.next(messages[...], from: &index) { result.append(piece) }
        #expect(splitter.count(messages[...]) == result.count)
        return result
    }

    @Test func everyMessageAppearsOnceInOrderAndEveryPieceFits() {
        let messages = Array(conversation(turns: 40).dropFirst())
        let result = pieces(messages, capacity: 300)
        #expect(result.count > 3)
        for piece in result { #expect(tokens(piece) <= 300) }
        let joined = result.joined(separator: "\n\n")
        var position = joined.startIndex
        for message in messages where !message.content.isEmpty {
            let found = joined.range(of: message.content, range: position..<joined.endIndex)
            #expect(found != nil, "\(message.content.prefix(20))")
            if let found { position = found.upperBound }
        }
    }

    @Test func oneSmallHistoryIsOnePiece() {
        let messages = Array(conversation(turns: 3).dropFirst())
        #expect(pieces(messages, capacity: 10_000).count == 1)
    }

    @Test func aLongToolResultTakesAtMostAQuarterOfAPieceAndAHugeMessageIsCutToFit() {
        let long = String(repeating: "line of output\n", count: 2_000)
        let messages: [Message] = [
            .assistant("", toolCalls: [ToolCall(id: "c1", name: "read_file", arguments: "{}")]),
            .toolResult(id: "c1", name: "read_file", content: long),
            .user(String(repeating: "essay ", count: 5_000)),
        ]
        let result = pieces(messages, capacity: 400)
        for piece in result { #expect(tokens(piece) <= 400) }
        let toolPiece = result.first { $0.contains("[result of read_file]") } ?? ""
        #expect(toolPiece.contains("bytes of this tool result cut here"))
        #expect(result.contains { $0.contains("bytes of this message cut here") })
    }

    @Test func aRunawaySummaryIsCutAtALineWithinItsLimit() {
        var answer = SummaryAnswer(limit: 50, tokens: tokens)
        #expect(answer.take(.content("## Task\n- first\n")) == .open)
        #expect(answer.take(.attemptVoided) == .open)
        #expect(answer.text.isEmpty)
        var state = SummaryAnswer.State.open
        for n in 0..<100 where state == .open { state = answer.take(.content("- point \(n)\n")) }
        #expect(state == .full)
        let text = answer.finished()
        #expect(text.hasSuffix("[… the summary was cut here at its length limit]"))
        #expect(tokens(text) <= 50 + 20)
        #expect(!text.contains("\u{FFFD}"))
    }

    @Test func autoCompactionBacksOffAfterFailures() {
        var auto = AutoCompaction()
        auto.turnStarted()
        #expect(auto.mayTry)
        #expect(auto.failed() == 1)
        #expect(!auto.mayTry)
        var waits: [Int] = [1]
        for _ in 0..<6 {
            while !auto.mayTry { auto.turnStarted() }
            waits.append(auto.failed())
        }
        #expect(waits == [1, 2, 4, 8, 16, 16, 16])
        auto.succeeded()
        #expect(auto.mayTry)
        #expect(auto.failed() == 1)
    }
}
