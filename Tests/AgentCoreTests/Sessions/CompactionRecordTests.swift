@testable import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// The journal's compaction record: every original message stays in the file, and a load sends
/// the summary in place of the replaced ones.
@Suite("Compaction records", .timeLimit(.minutes(1)))
struct CompactionRecordTests {
    /// A closed session: "q1", "a1", … "q<turns>", "a<turns>", compacted after `compactAfter`
    /// turns keeping the last one.
    private func makeSession(in dir: URL, turns: Int = 4, compactAfter: Int? = 3) async throws -> (SessionStore, String, URL) {
        let store = SessionStore(directory: dir)
        let journal = try store.create(workingDirectory: dir, model: "m")
        for turn in 1...turns {
            try await journal.append(.user("q\(turn)"))
            var answer = Message.assistant("a\(turn)")
            answer.metadata.trimmedFrom = 1
            try await journal.append(answer)
            if turn == compactAfter {
                try await journal.appendCompaction(
                    CompactionEntry(summary: "SUMMARY", keptMessages: 2, focus: "the plan", automatic: false,
                                    createdAt: exactDate()))
            }
        }
        try await journal.close()
        return (store, journal.id, journal.fileURL)
    }

    @Test func theFileKeepsEveryMessageAndALoadSendsTheSummary() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            let loaded = try store.load(id: id)
            #expect(contents(loaded.messages) == ["q1", "a1", "q2", "a2", "q3", "a3", "q4", "a4"])
            #expect(loaded.compactions == [SessionCompaction(
                afterMessages: 6, through: 4, summary: "SUMMARY", createdAt: exactDate(), focus: "the plan", automatic: false)])
            let sent = loaded.sentMessages
            #expect(sent.count == 6)
            #expect(contents(sent).first == "q1")
            #expect(sent[1].metadata.summaryOf == 3)
            #expect(sent[1].role == .assistant)
            #expect(sent[1].content.hasSuffix("\n\nSUMMARY"))
            #expect(contents(Array(sent.dropFirst(2))) == ["q3", "a3", "q4", "a4"])
            // Positions written before the compaction refer to the old layout; later ones stay.
            #expect(sent.map(\.metadata.trimmedFrom) == [nil, nil, nil, nil, nil, 1])
            let record = try #require(try fileLines(url).first { $0.contains(#""type":"compaction""#) })
            #expect(record.contains(#""through":4"#) && record.contains(#""n":6"#) && record.contains(#""focus":"the plan""#))
            #expect(loaded.damageNote == nil)
        }
    }

    @Test func theLoopsLayoutAndTheLoadedOneAreTheSame() throws {
        let messages = Array(conversation(turns: 6).dropFirst())
        let plan = try #require(CompactionPlan([.system("sys")] + messages, keepTurns: 1))
        let inLoop = plan.applying(SummaryPrompt.summaryMessage("S", replacing: plan.originalCount), to: [.system("sys")] + messages)
        let record = SessionCompaction(
            afterMessages: messages.count, through: messages.count - (messages.count + 1 - plan.tailStart), summary: "S",
            createdAt: Date(), focus: nil, automatic: true)
        let loaded = LoadedSession.applying(record, to: messages)
        #expect(contents([.system("sys")] + loaded) == contents(inLoop))
    }

    /// A record cut in the middle of a turn (the writer held a message the file lacks) is moved
    /// back to the start of that turn: a tool call is never sent without its results.
    @Test func aRecordCutInsideATurnIsAppliedFromThatTurnsStart() throws {
        let messages = Array(conversation(turns: 6).dropFirst())
        for through in 2..<messages.count {
            let record = SessionCompaction(
                afterMessages: messages.count, through: through, summary: "S", createdAt: Date(), focus: nil, automatic: false)
            let sent = LoadedSession.applying(record, to: messages)
            #expect(HistoryNormalizer.normalize(sent) == sent, "through \(through)")
            guard sent.count != messages.count else { continue }
            let tailStart = messages.count - (sent.count - 2)
            #expect(tailStart <= through && messages[tailStart].role == .user, "through \(through)")
            #expect(sent[1].metadata.summaryOf == tailStart - 1)
        }
    }

    @Test func aDamagedRecordIsReportedAndTheOriginalsAreSent() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir, compactAfter: nil)
            try appendRaw(#"{"type":"compaction","n":8,"through":"#, to: url)
            try appendRaw("\n", to: url)
            let loaded = try store.load(id: id)
            #expect(loaded.skippedLines == 1)
            #expect(loaded.compactions.isEmpty)
            #expect(loaded.sentMessages == loaded.messages)
            #expect(loaded.damageNote?.contains("skipped 1 unreadable line") == true)
        }
    }

    @Test func aRecordThatNoLongerMatchesItsMessagesIsIgnoredAndSaid() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            // Damage the second message line: the record's count no longer matches what is read.
            var lines = try fileLines(url)
            lines[2] = "{damaged"
            try Data(lines.joined(separator: "\n").utf8).write(to: url)
            let loaded = try store.load(id: id)
            #expect(loaded.messages.count == 7)
            #expect(loaded.compactions.isEmpty)
            #expect(loaded.ignoredCompactions == 1)
            #expect(loaded.sentMessages == loaded.messages)
            #expect(loaded.damageNote?.contains("ignored 1 compaction record") == true)
        }
    }

    @Test(arguments: [
        #"{"type":"compaction","n":6,"through":9,"at":"2026-01-01T00:00:00.000Z","summary":"S"}"#,
        #"{"type":"compaction","n":6,"through":1,"at":"2026-01-01T00:00:00.000Z","summary":"S"}"#,
        #"{"type":"compaction","n":6,"through":4,"at":"2026-01-01T00:00:00.000Z","summary":""}"#,
        #"{"type":"compaction","n":6,"through":-3,"at":"2026-01-01T00:00:00.000Z","summary":"S"}"#,
    ])
    func aRecordThatCannotApplyIsIgnored(_ line: String) async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir, turns: 3, compactAfter: nil)
            try appendRaw(line + "\n", to: url)
            let loaded = try store.load(id: id)
            #expect(loaded.ignoredCompactions == 1)
            #expect(loaded.sentMessages == loaded.messages)
        }
    }

    @Test func aJournalWithoutRecordsLoadsAsBefore() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, _) = try await makeSession(in: dir, compactAfter: nil)
            let loaded = try store.load(id: id)
            #expect(loaded.compactions.isEmpty && loaded.ignoredCompactions == 0)
            #expect(loaded.sentMessages == loaded.messages)
        }
    }

    @Test func resumingAppendsAfterTheRecordAndTheRewriteKeepsIt() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            let (journal, _) = try store.open(id: id)
            try await journal.append(.user("q5"))
            // A title change rewrites the file (folding it into the header): the record stays.
            try await journal.setTitle("renamed")
            try await journal.close()
            let loaded = try store.load(id: id)
            #expect(loaded.compactions.count == 1)
            #expect(contents(loaded.sentMessages).suffix(5) == ["q3", "a3", "q4", "a4", "q5"])
            #expect(try fileLines(url).filter { $0.contains(#""type":"compaction""#) }.count == 1)
        }
    }

    @Test func aSecondCompactionReplacesTheFirst() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, _) = try await makeSession(in: dir)
            let (journal, _) = try store.open(id: id)
            try await journal.append(.user("q5"))
            try await journal.append(.assistant("a5"))
            try await journal.appendCompaction(CompactionEntry(summary: "SECOND", keptMessages: 2, focus: nil, automatic: true))
            try await journal.close()
            let loaded = try store.load(id: id)
            #expect(loaded.compactions.map(\.summary) == ["SUMMARY", "SECOND"])
            let sent = loaded.sentMessages
            #expect(contents(sent).first == "q1")
            #expect(sent[1].content.hasSuffix("SECOND") && sent[1].metadata.summaryOf == 7)
            #expect(contents(Array(sent.dropFirst(2))) == ["q5", "a5"])
        }
    }
}
