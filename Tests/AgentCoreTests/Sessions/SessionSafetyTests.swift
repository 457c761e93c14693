import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@testable import AgentCore

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1))) struct SessionSafetyTests {
    func makeSession(_ store: SessionStore) async throws -> SessionJournal {
        let journal = try store.create(workingDirectory: URL(fileURLWithPath: "/tmp"), model: "m")
        try await journal.append(.user("hello"))
        return journal
    }

    @Test func aSymlinkedJournalIsNeverFollowed() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir.appendingPathComponent("sessions"))
            let real = try await makeSession(store)
            try await real.close()
            // Another "session" that is a link to it, and one to a file elsewhere.
            let linkID = "20260101-000000-aaaaaa"
            let link = store.fileURL(for: linkID)
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.fileURL.path)
            #expect(throws: SessionError.symlink(file: link)) { _ = try store.open(id: linkID) }
            #expect(throws: SessionError.symlink(file: link)) { _ = try store.load(id: linkID) }
            #expect(throws: SessionError.symlink(file: link)) { _ = try store.resolve(idOrPrefix: linkID) }
            #expect(try store.list().map(\.id) == [real.id])
            #expect(throws: SessionError.symlink(file: link)) { try store.delete(id: linkID) }
            #expect(FileManager.default.fileExists(atPath: real.fileURL.path))
        }
    }

    @Test func pruneNeverRemovesASessionInUseOrJustWritten() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let open = try await makeSession(store)
            let idle = try await makeSession(store)
            try await idle.close()
            // keep = 1 would remove the older; the one another agent holds stays.
            let removed = try store.prune(keep: 1, maxAgeDays: nil, now: Date())
            #expect(!removed.contains { $0.id == open.id })
            #expect(FileManager.default.fileExists(atPath: open.fileURL.path))
            try await open.close()
        }
    }

    @Test func removalSkipsAFileWrittenSinceItWasChosen() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try await makeSession(store)
            let chosen = try #require(store.modificationDate(journal.fileURL))
            try await journal.append(.assistant("written after the listing"))
            // A coarse clock may give the same time twice: set one that differs for sure.
            var times = [timespec(tv_sec: 1, tv_nsec: 0), timespec(tv_sec: 1, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, journal.fileURL.path, &times, 0) == 0)
            try await journal.close()
            #expect(store.removeLocked(journal.fileURL, ifUnchangedSince: chosen) == .changed)
            #expect(FileManager.default.fileExists(atPath: journal.fileURL.path))
        }
    }

    @Test func deleteRefusesASessionOpenElsewhere() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try await makeSession(store)
            #expect(throws: SessionError.inUse(journal.id)) { try store.delete(id: journal.id) }
            try await journal.close()
            try store.delete(id: journal.id)
            #expect(!FileManager.default.fileExists(atPath: journal.fileURL.path))
        }
    }

    @Test func aTornLastLineIsReported() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try await makeSession(store)
            try await journal.close()
            let handle = try FileHandle(forWritingTo: journal.fileURL)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("not json\n{\"type\":\"mess".utf8))
            try handle.close()
            let loaded = try store.load(id: journal.id)
            #expect(loaded.damageNote == "note: skipped 1 unreadable line(s) in the session file; "
                + "left out its last line, which a crash cut off mid-save")
        }
    }
}
