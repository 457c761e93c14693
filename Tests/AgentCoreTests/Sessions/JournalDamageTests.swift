@testable import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite("Damaged journals", .timeLimit(.minutes(1)))
struct JournalDamageTests {
    /// A closed session with messages "m0" … "m<count-1>".
    private func makeSession(in dir: URL, count: Int = 3) async throws -> (SessionStore, String, URL) {
        let store = SessionStore(directory: dir)
        let journal = try store.create(workingDirectory: dir, model: "m")
        for index in 0..<count { try await journal.append(.user("m\(index)")) }
        try await journal.close()
        return (store, journal.id, journal.fileURL)
    }

    @Test func aTornLastLineIsIgnoredAndNotCounted() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            try appendRaw(#"{"message":{"role":"user","content":"m3"#, to: url)
            let loaded = try store.load(id: id)
            #expect(contents(loaded.messages) == ["m0", "m1", "m2"])
            #expect(loaded.skippedLines == 0)
        }
    }

    @Test func resumingCutsTheTornLineBeforeAppending() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            let intact = try fileBytes(url)
            try appendRaw(#"{"message":{"role":"us"#, to: url)
            let (journal, _) = try store.open(id: id)
            #expect(try fileBytes(url) == intact)
            try await journal.append(.user("m3"))
            try await journal.close()
            let loaded = try store.load(id: id)
            #expect(contents(loaded.messages) == ["m0", "m1", "m2", "m3"])
            #expect(loaded.skippedLines == 0)
        }
    }

    @Test func aWholeLastLineMissingOnlyItsNewlineIsKept() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            var lines = try fileLines(url)
            lines.removeLast()  // the empty piece after the final newline
            let last = try #require(lines.last)
            let withoutNewline = try fileBytes(url).dropLast()
            try withoutNewline.write(to: url)
            #expect(contents(try store.load(id: id).messages) == ["m0", "m1", "m2"])

            let (journal, _) = try store.open(id: id)
            try await journal.append(.user("m3"))
            try await journal.close()
            let reloaded = try store.load(id: id)
            #expect(contents(reloaded.messages) == ["m0", "m1", "m2", "m3"])
            #expect(reloaded.skippedLines == 0)
            #expect(try fileLines(url).contains(last))
        }
    }

    @Test func unreadableLinesInsideAreSkippedAndCounted() async throws {
        try await withTemporaryDirectory { dir in
            let (store, id, url) = try await makeSession(in: dir)
            var lines = try fileLines(url)
            lines.insert("this is not json", at: 2)
            lines.insert(#"{"type":"message","n":9}"#, at: 3)
            try Data(lines.joined(separator: "\n").utf8).write(to: url)
            var bytes = try fileBytes(url)
            bytes.append(contentsOf: [0xFF, 0xFE, 0x0A])  // not UTF-8 at all
            try bytes.write(to: url)

            let loaded = try store.load(id: id)
            #expect(contents(loaded.messages) == ["m0", "m1", "m2"])
            #expect(loaded.skippedLines == 3)

            // Resuming keeps the unreadable lines (never destroys what it cannot read) and goes on.
            let (journal, resumed) = try store.open(id: id)
            #expect(resumed.skippedLines == 3)
            try await journal.append(.user("m3"))
            try await journal.compact()
            try await journal.close()
            let after = try store.load(id: id)
            #expect(contents(after.messages) == ["m0", "m1", "m2", "m3"])
            #expect(after.skippedLines == 3)
        }
    }

    @Test(arguments: [
        "", "not a journal\n", "{\"type\":\"message\",\"n\":1,\"message\":{\"role\":\"user\",\"content\":\"x\"}}\n",
        "{\"type\":\"session\",\"format\":1", "\u{0}\u{1}binary",
    ])
    func aFileWithoutAHeaderIsMovedAsideAndNeverOverwritten(_ text: String) async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let url = dir.appendingPathComponent("20260101-000000-abcdef.jsonl")
            try Data(text.utf8).write(to: url)

            // Reading to show it leaves it where it is; opening it to continue moves it aside.
            let shown = try #require(throws: SessionError.self) { try store.load(id: "20260101-000000-abcdef") }
            guard case .damaged(let damaged, _) = shown else {
                Issue.record("expected .damaged, got \(shown)")
                return
            }
            #expect(damaged == url)
            #expect(try fileBytes(url) == Data(text.utf8))
            let error = try #require(throws: SessionError.self) { _ = try store.open(id: "20260101-000000-abcdef") }
            guard case .unreadable(let file, let movedTo) = error else {
                Issue.record("expected .unreadable, got \(error)")
                return
            }
            #expect(file == url)
            #expect(movedTo.lastPathComponent.hasPrefix("20260101-000000-abcdef.jsonl.corrupt-"))
            #expect(!FileManager.default.fileExists(atPath: url.path))
            #expect(try fileBytes(movedTo) == Data(text.utf8))
            #expect(error.description.contains(movedTo.path))
            #expect(try store.list().isEmpty)
        }
    }

    @Test func resolvingAnUnreadableSessionByItsIdMovesItAsideOnlyToContinueIt() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let url = dir.appendingPathComponent("20260101-000000-abcdef.jsonl")
            try Data("garbage".utf8).write(to: url)
            let readOnly = try #require(throws: SessionError.self) { _ = try store.resolve(idOrPrefix: "20260101-000000-abcdef") }
            #expect(readOnly.description.contains("left it as it is"))
            #expect(FileManager.default.fileExists(atPath: url.path))
            let error = try #require(throws: SessionError.self) {
                _ = try store.resolve(idOrPrefix: "20260101-000000-abcdef", movingUnreadableAside: true)
            }
            guard case .unreadable(_, let movedTo) = error else {
                Issue.record("expected .unreadable, got \(error)")
                return
            }
            #expect(FileManager.default.fileExists(atPath: movedTo.path))
        }
    }

    @Test func aSecondCorruptFileDoesNotReplaceTheFirstCopy() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let url = dir.appendingPathComponent("s1.jsonl")
            var moved: [URL] = []
            for text in ["first garbage", "second garbage"] {
                try Data(text.utf8).write(to: url)
                guard case .unreadable(_, let target) = try #require(throws: SessionError.self, performing: { try store.open(id: "s1") })
                else { return }
                moved.append(target)
            }
            #expect(moved[0] != moved[1])
            #expect(try fileBytes(moved[0]) == Data("first garbage".utf8))
            #expect(try fileBytes(moved[1]) == Data("second garbage".utf8))
        }
    }

    @Test func aNewerFormatIsLeftUntouched() async throws {
        try await withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("future.jsonl")
            let text = #"{"type":"session","format":99,"id":"future","created":"2026-01-01T00:00:00.000Z","cwd":"/","model":"m","n":0}"# + "\n"
            try Data(text.utf8).write(to: url)
            #expect(throws: SessionError.unsupportedFormat(file: url, version: 99)) {
                _ = try SessionStore(directory: dir).load(id: "future")
            }
            #expect(try fileBytes(url) == Data(text.utf8))
        }
    }

    @Test func idsThatCouldLeaveTheFolderAreNeverLookedUp() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir.appendingPathComponent("sessions"))
            for id in ["../x", "/etc/passwd", ".hidden", "a/b", ""] {
                #expect(throws: SessionError.notFound(id)) { _ = try store.load(id: id) }
            }
        }
    }

    /// Cutting a journal at every byte (what a crash can leave) never fails to load and keeps
    /// exactly the messages whose lines are complete.
    @Test func everyPrefixOfAJournalLoadsTheCompleteLines() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            try await journal.append(.user("héllo 🚀"))
            await journal.recordPartial("stream", force: true)
            await journal.recordPartial("streaming more", force: true)
            try await journal.append(.assistant("done"))
            try await journal.close()

            let data = try fileBytes(journal.fileURL)
            let lineEnds = data.indices.filter { data[$0] == 0x0A }
            let reader = JournalReader()
            for length in (lineEnds[0] + 1)...data.count {
                let contents = try reader.read(data.prefix(length))
                #expect(contents.skippedLines == 0, "cut at \(length)")
                // A line whose closing brace made it is whole even without its newline.
                let completeLines = lineEnds.filter { $0 <= length }.count
                let expectedMessages = completeLines >= 5 ? 2 : (completeLines >= 2 ? 1 : 0)
                #expect(contents.messages.count == expectedMessages, "cut at \(length)")
                if completeLines == 3 { #expect(contents.partial?.text == "stream") }
                if completeLines == 4 { #expect(contents.partial?.text == "streaming more") }
            }
        }
    }
}
