import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite("Listing, resolving and pruning sessions", .timeLimit(.minutes(1)))
struct SessionListingTests {
    /// Creates closed sessions whose files were last changed `ages` days before `now`.
    private func makeSessions(in dir: URL, ages: [Double], now: Date) async throws -> [String] {
        let store = SessionStore(directory: dir)
        var ids: [String] = []
        for (index, age) in ages.enumerated() {
            let journal = try store.create(
                workingDirectory: dir.appendingPathComponent("w\(index % 2)"), model: "m", title: "t\(index)")
            for turn in 0...index { try await journal.append(.user("message \(turn)")) }
            try await journal.close()
            try FileManager.default.setAttributes(
                [.modificationDate: now.addingTimeInterval(-age * 86_400)], ofItemAtPath: journal.fileURL.path)
            ids.append(journal.id)
        }
        return ids
    }

    /// A folder that does not exist yet holds no sessions; one that cannot be read is an error
    /// everywhere, never an empty store (whose emptiness the checkpoint pruner would act on).
    @Test func aFolderThatCannotBeListedIsAnErrorNotAnEmptyStore() async throws {
        try await withTemporaryDirectory { dir in
            let missing = SessionStore(directory: dir.appendingPathComponent("not-yet"))
            #expect(try missing.list().isEmpty)
            #expect(try missing.sessionIDs().isEmpty)
            let file = dir.appendingPathComponent("sessions")
            try Data("x".utf8).write(to: file)
            let store = SessionStore(directory: file)
            let unlistable = SessionError.io(SessionIOError(operation: "list", path: file.path, code: ENOTDIR))
            #expect(throws: unlistable) { try store.list() }
            #expect(throws: unlistable) { try store.sessionIDs() }
            #expect(throws: unlistable) { try store.latest(workingDirectory: dir) }
            #expect(throws: unlistable) { try store.resolve(idOrPrefix: "2026") }
            #expect(throws: unlistable) { try store.prune(keep: 1, maxAgeDays: 1) }
            #expect(unlistable.description == "list \(file.path): Not a directory")
        }
    }

    @Test func listIsNewestFirstWithCountsTitlesAndFolders() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [3, 1, 2], now: now)
            // Not sessions: ignored.
            try Data("x".utf8).write(to: dir.appendingPathComponent("notes.txt"))
            try Data("x".utf8).write(to: dir.appendingPathComponent("old.jsonl.corrupt-20260101-000000"))
            try Data("x".utf8).write(to: dir.appendingPathComponent(".\(ids[0]).jsonl.compact"))

            let list = try SessionStore(directory: dir).list()
            #expect(list.map(\.id) == [ids[1], ids[2], ids[0]])
            #expect(list.map(\.messageCount) == [2, 3, 1])
            #expect(list.map(\.title) == ["t1", "t2", "t0"])
            #expect(list[0].workingDirectory.lastPathComponent == "w1")
            #expect(list[0].model == "m")
            #expect(list[0].fileURL.lastPathComponent == "\(ids[1]).jsonl")
        }
    }

    @Test func theListCountsMessagesFromTheLastLineEvenAfterALongMessage() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            try await journal.append(.user("short"))
            try await journal.append(.toolResult(id: "c", name: "read_file", content: String(repeating: "z", count: 300_000)))
            try appendRaw(#"{"type":"message","n":3,"mes"#, to: journal.fileURL)
            #expect(try store.list().first?.messageCount == 2)
            try await journal.close()
        }
    }

    @Test func anIdPrefixResolvesWhenItIsUnique() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let moment = Date()
            let a = try store.create(workingDirectory: dir, model: "m", now: moment)
            let b = try store.create(workingDirectory: dir, model: "m", now: moment)
            try await a.close()
            try await b.close()

            let shared = String(a.id.prefix(16))  // same second: "yyyyMMdd-HHmmss-"
            #expect(b.id.hasPrefix(shared))
            let error = try #require(throws: SessionError.self) { _ = try store.resolve(idOrPrefix: shared) }
            guard case .ambiguous(let prefix, let matches) = error else {
                Issue.record("expected .ambiguous, got \(error)")
                return
            }
            #expect(prefix == shared)
            #expect(Set(matches) == [a.id, b.id])

            let distinct = zip(a.id, b.id).prefix { $0 == $1 }.count + 1
            #expect(try store.resolve(idOrPrefix: String(a.id.prefix(distinct))).id == a.id)
            #expect(try store.resolve(idOrPrefix: b.id).id == b.id)
            #expect(throws: SessionError.notFound("nope")) { _ = try store.resolve(idOrPrefix: "nope") }
            #expect(throws: SessionError.notFound("")) { _ = try store.resolve(idOrPrefix: "") }
        }
    }

    @Test func latestPicksTheNewestSessionOfTheFolder() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await makeSessions(in: dir, ages: [1, 5, 2, 9], now: Date())
            let store = SessionStore(directory: dir)
            #expect(try store.latest(workingDirectory: dir.appendingPathComponent("w0"))?.id == ids[0])
            #expect(try store.latest(workingDirectory: dir.appendingPathComponent("w1/./"))?.id == ids[1])
            #expect(try store.latest(workingDirectory: dir.appendingPathComponent("elsewhere")) == nil)
        }
    }

    @Test func pruneKeepsTheNewestAndNeverTheExceptedOne() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [1, 2, 3, 4, 5], now: now)
            let store = SessionStore(directory: dir)
            let removed = try store.prune(keep: 2, maxAgeDays: nil, except: ids[4], now: now)
            #expect(removed.map(\.id) == [ids[2], ids[3]])
            #expect(Set(try store.list().map(\.id)) == [ids[0], ids[1], ids[4]])
        }
    }

    @Test func pruneRemovesSessionsOlderThanTheMaximumAge() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [1, 40, 29, 31], now: now)
            let store = SessionStore(directory: dir)
            let removed = try store.prune(keep: 100, maxAgeDays: 30, except: ids[1], now: now)
            #expect(removed.map(\.id) == [ids[3]])
            #expect(Set(try store.list().map(\.id)) == [ids[0], ids[1], ids[2]])
        }
    }

    @Test func aDryRunRemovesNothing() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [1, 2, 50], now: now)
            let store = SessionStore(directory: dir)
            let wouldGo = try store.prune(keep: 1, maxAgeDays: 30, dryRun: true, now: now)
            #expect(wouldGo.map(\.id) == [ids[1], ids[2]])
            #expect(try store.list().count == 3)
        }
    }

    @Test func pruneLeavesAnUnreadableJournalForLoadToMoveAside() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [1, 2, 3], now: now)
            let store = SessionStore(directory: dir)
            // The oldest becomes garbage: prune only looks at names and times, then reads what it removes.
            let garbage = dir.appendingPathComponent("\(ids[2]).jsonl")
            try Data("not a journal\n".utf8).write(to: garbage)
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-3 * 86_400)],
                                                  ofItemAtPath: garbage.path)
            let removed = try store.prune(keep: 1, maxAgeDays: nil, now: now)
            #expect(removed.map(\.id) == [ids[1]])
            #expect(FileManager.default.fileExists(atPath: garbage.path))
        }
    }

    @Test func pruneSkipsSessionsInUseAndIgnoresNonsenseLimits() async throws {
        try await withTemporaryDirectory { dir in
            let now = Date()
            let ids = try await makeSessions(in: dir, ages: [1, 2], now: now)
            let store = SessionStore(directory: dir)
            #expect(try store.prune(keep: 0, maxAgeDays: -1, now: now).isEmpty)
            let (open, _) = try store.open(id: ids[1])
            #expect(try store.prune(keep: 1, maxAgeDays: nil, now: now).isEmpty)
            try await open.close()
        }
    }

    @Test func deleteRemovesOneSession() async throws {
        try await withTemporaryDirectory { dir in
            let ids = try await makeSessions(in: dir, ages: [1, 2], now: Date())
            let store = SessionStore(directory: dir)
            try store.delete(id: ids[0])
            #expect(try store.list().map(\.id) == [ids[1]])
            #expect(throws: SessionError.notFound(ids[0])) { try store.delete(id: ids[0]) }
        }
    }

    /// The cost of saving a message does not grow with the session: an append writes its one
    /// line, whether the session holds 10 messages or 3,000.
    @Test func anAppendWritesOneLineWhateverTheSessionLength() async throws {
        try await withTemporaryDirectory { dir in
            var growth: [Int: (file: Int, written: Int)] = [:]
            for size in [10, 3_000] {
                let io = FaultyFileIO()
                io.update { $0.skipSync = true }
                let journal = try SessionStore(directory: dir, fileIO: io).create(workingDirectory: dir, model: "m")
                for index in 0..<size { try await journal.append(.user("filler \(index)")) }
                let message = Message(role: .assistant, content: "the same reply", metadata: MessageMetadata(createdAt: exactDate()))
                let before = (try fileBytes(journal.fileURL).count, io.bytesWritten)
                try await journal.append(message)
                let after = (try fileBytes(journal.fileURL).count, io.bytesWritten)
                growth[size] = (after.0 - before.0, after.1 - before.1)
                try await journal.close()
            }
            let small = try #require(growth[10])
            let large = try #require(growth[3_000])
            #expect(small.file == small.written)
            #expect(large.file == large.written)
            // Only the digits of the message number differ.
            #expect(large.written - small.written == 2)
        }
    }
}
