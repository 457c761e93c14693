import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite("Streaming text survives a crash", .timeLimit(.minutes(1)))
struct PartialRecoveryTests {
    @Test func partialTextBecomesAnInterruptedAnswerAfterACrash() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            try await journal.append(.user("Say hello"))
            await journal.recordPartial("Hello", reasoning: "greet", force: true)
            await journal.recordPartial("Hello wor", reasoning: "greet them", force: true)

            let loaded = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(loaded.recoveredPartial)
            #expect(contents(loaded.messages) == ["Say hello", "Hello wor"])
            let answer = try #require(loaded.messages.last)
            #expect(answer.role == .assistant)
            #expect(answer.metadata.interrupted)
            #expect(answer.metadata.reasoning == "greet them")
            #expect(answer.metadata.note != nil)
            try await journal.close()
        }
    }

    @Test func partialLinesHoldOnlyTheNewText() async throws {
        try await withTemporaryDirectory { dir in
            let journal = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            await journal.recordPartial("Hello", force: true)
            await journal.recordPartial("Hello world", force: true)
            let lines = try fileLines(journal.fileURL)
            #expect(lines[1].contains(#""text":{"from":0,"text":"Hello"}"#))
            #expect(lines[2].contains(#""text":{"from":5,"text":" world"}"#))
            try await journal.close()
        }
    }

    @Test func aRestartedStreamReplacesTheEarlierText() async throws {
        try await withTemporaryDirectory { dir in
            let journal = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            await journal.recordPartial("First attempt", force: true)
            await journal.recordPartial("Second", force: true)
            let loaded = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(loaded.messages) == ["Second"])
            try await journal.close()
        }
    }

    @Test func aCompletedMessageSupersedesThePartialText() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            await journal.recordPartial("Hel", force: true)
            try await journal.append(.assistant("Hello"))
            let loaded = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(loaded.messages) == ["Hello"])
            #expect(!loaded.recoveredPartial)
            try await journal.close()
        }
    }

    @Test func discardedPartialTextIsNotRecovered() async throws {
        try await withTemporaryDirectory { dir in
            let journal = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            try await journal.append(.user("q"))
            await journal.recordPartial("abandoned", force: true)
            await journal.discardPartial()
            #expect(contents(try crashImage(of: journal.fileURL, in: dir).load(id: journal.id).messages) == ["q"])
            try await journal.close()
        }
    }

    @Test func resumingSavesTheRecoveredAnswerAsAMessage() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            try await writer.append(.user("q"))
            await writer.recordPartial("half an answ", force: true)
            let store = try crashImage(of: writer.fileURL, in: dir)
            try await writer.close()

            let (journal, loaded) = try store.open(id: writer.id)
            #expect(loaded.recoveredPartial)
            #expect(await journal.messageCount == 2)
            try await journal.append(.user("go on"))
            try await journal.close()

            let reloaded = try store.load(id: writer.id)
            #expect(contents(reloaded.messages) == ["q", "half an answ", "go on"])
            #expect(reloaded.messages[1].metadata.interrupted)
            #expect(!reloaded.recoveredPartial)
        }
    }

    @Test func reportsWithinTheIntervalAreHeldBack() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir, partialInterval: .seconds(3600))
            let journal = try store.create(workingDirectory: dir, model: "m")
            await journal.recordPartial("a")
            let afterFirst = try fileBytes(journal.fileURL).count
            for text in ["ab", "abc", "abcd"] { await journal.recordPartial(text) }
            #expect(try fileBytes(journal.fileURL).count == afterFirst)
            await journal.recordPartial("abcde", force: true)
            #expect(contents(try crashImage(of: journal.fileURL, in: dir).load(id: journal.id).messages) == ["abcde"])
            try await journal.close()
        }
    }

    @Test func aHeldBackReportIsSavedWhenTheIntervalEnds() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir, partialInterval: .milliseconds(50))
            let journal = try store.create(workingDirectory: dir, model: "m")
            await journal.recordPartial("tok")
            await journal.recordPartial("tokens")
            // Nothing else is reported; the journal saves "tokens" by itself. Wait for it.
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            var saved = ""
            while ContinuousClock.now < deadline {
                saved = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id).messages.last?.content ?? ""
                if saved == "tokens" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(saved == "tokens")
            try await journal.close()
        }
    }

    /// The loop offers every chunk without waiting; the journal alone decides when to write.
    @Test func offeredTextIsSavedUnderTheSameThrottleAndSupersededByTheMessage() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir, partialInterval: .milliseconds(50))
            let journal = try store.create(workingDirectory: dir, model: "m")
            var text = ""
            for piece in 0..<2000 {
                text += "w\(piece) "
                journal.offerPartial(appending: "w\(piece) ", reasoning: "")
            }
            let deadline = ContinuousClock.now.advanced(by: .seconds(10))
            var saved = ""
            while ContinuousClock.now < deadline {
                saved = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id).messages.last?.content ?? ""
                if saved == text { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(saved == text)
            journal.offerPartial(appending: "late", reasoning: "")
            try await journal.append(.assistant("final"))
            try await journal.close()
            #expect(contents(try store.load(id: journal.id).messages) == ["final"])
        }
    }

    @Test func closingSavesHeldBackText() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir, partialInterval: .seconds(3600))
            let journal = try store.create(workingDirectory: dir, model: "m")
            await journal.recordPartial("a")
            await journal.recordPartial("all of it")
            try await journal.close()
            #expect(contents(try store.load(id: journal.id).messages) == ["all of it"])
        }
    }

    @Test func supersededPartialTextIsCompactedAway() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            try await journal.append(.user("q"))
            // Restarted streams leave their whole text behind: 1.8 MB of superseded lines.
            for letter in ["a", "b", "c"] {
                await journal.recordPartial(String(repeating: letter, count: 600_000), force: true)
            }
            try await journal.append(.assistant("short answer"))
            let size = try fileBytes(journal.fileURL).count
            #expect(size < 10_000)
            #expect(contents(try store.load(id: journal.id).messages) == ["q", "short answer"])
            try await journal.close()
        }
    }

    @Test func compactingMidStreamKeepsTheStreamedText() async throws {
        try await withTemporaryDirectory { dir in
            let journal = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            try await journal.append(.user("q"))
            await journal.recordPartial("part", reasoning: "why", force: true)
            await journal.recordPartial("partial", reasoning: "why not", force: true)
            try await journal.compact()
            await journal.recordPartial("partial text", reasoning: "why not", force: true)
            let loaded = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(loaded.messages) == ["q", "partial text"])
            #expect(loaded.messages.last?.metadata.reasoning == "why not")
            try await journal.close()
        }
    }
}
