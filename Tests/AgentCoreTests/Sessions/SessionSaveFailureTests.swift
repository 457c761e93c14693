import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Saving when the disk refuses", .timeLimit(.minutes(1)))
struct SessionSaveFailureTests {
    @Test func aFullDiskWarnsKeepsTheMessagesAndSavesThemWhenSpaceReturns() async throws {
        try await withTemporaryDirectory { dir in
            let (io, _, journal) = try faultyJournal(in: dir)
            try await journal.append(.user("one"))

            // The disk fills in the middle of the next line.
            io.update {
                $0.writeError = ENOSPC
                $0.bytesBeforeFailure = 20
            }
            let error = try await #require(throws: SessionError.self) { try await journal.append(.assistant("two")) }
            #expect(error.isRecoverable)
            #expect(error == .saveFailed(file: journal.fileURL, reason: "No space left on device", unsavedMessages: 1))
            #expect(!error.description.contains("\n"))

            // The file on disk is the last good one.
            let afterFailure = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(afterFailure.messages) == ["one"])
            #expect(afterFailure.skippedLines == 0)

            await #expect(throws: SessionError.saveFailed(file: journal.fileURL, reason: "No space left on device", unsavedMessages: 2)) {
                try await journal.append(.user("three"))
            }
            #expect(await journal.messageCount == 3)
            #expect(await journal.unsavedMessageCount == 2)

            io.update { $0.writeError = nil }
            try await journal.append(.assistant("four"))
            #expect(await journal.unsavedMessageCount == 0)
            let recovered = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(recovered.messages) == ["one", "two", "three", "four"])
            #expect(recovered.skippedLines == 0)
            try await journal.close()
        }
    }

    @Test func aTornTailThatCouldNotBeCutIsCutBeforeTheNextWrite() async throws {
        try await withTemporaryDirectory { dir in
            let (io, store, journal) = try faultyJournal(in: dir)
            try await journal.append(.user("one"))
            let goodLength = try fileBytes(journal.fileURL).count

            io.update {
                $0.writeError = EROFS
                $0.bytesBeforeFailure = 15
                $0.truncateError = EROFS
            }
            await #expect(throws: SessionError.self) { try await journal.append(.assistant("two")) }
            // Half a line is on disk; a crash now would load fine because it is the last line.
            #expect(try fileBytes(journal.fileURL).count == goodLength + 15)
            let crashed = try crashImage(of: journal.fileURL, in: dir).load(id: journal.id)
            #expect(contents(crashed.messages) == ["one"])
            #expect(crashed.skippedLines == 0)

            io.update {
                $0.writeError = nil
                $0.truncateError = nil
            }
            try await journal.append(.user("three"))
            try await journal.close()
            let loaded = try store.load(id: journal.id)
            #expect(contents(loaded.messages) == ["one", "two", "three"])
            #expect(loaded.skippedLines == 0)
        }
    }

    @Test func aFailedFsyncIsNotCountedAsSavedAndIsNotDuplicated() async throws {
        try await withTemporaryDirectory { dir in
            let (io, store, journal) = try faultyJournal(in: dir)
            io.update { $0.syncError = EIO }
            await #expect(throws: SessionError.self) { try await journal.append(.user("one")) }
            io.update { $0.syncError = nil }
            try await journal.append(.user("two"))
            try await journal.close()
            #expect(contents(try store.load(id: journal.id).messages) == ["one", "two"])
        }
    }

    @Test func unsavedMessagesAreWrittenByFlushOrClose() async throws {
        try await withTemporaryDirectory { dir in
            let (io, store, journal) = try faultyJournal(in: dir)
            io.update { $0.writeError = ENOSPC }
            await #expect(throws: SessionError.self) { try await journal.append(.user("one")) }
            await #expect(throws: SessionError.self) { try await journal.flush() }
            io.update { $0.writeError = nil }
            try await journal.flush()
            #expect(contents(try crashImage(of: journal.fileURL, in: dir).load(id: journal.id).messages) == ["one"])

            io.update { $0.writeError = ENOSPC }
            await #expect(throws: SessionError.self) { try await journal.append(.user("two")) }
            io.update { $0.writeError = nil }
            try await journal.close()
            #expect(contents(try store.load(id: journal.id).messages) == ["one", "two"])
        }
    }

    @Test func aFailedCompactionLeavesTheJournalAsItWas() async throws {
        try await withTemporaryDirectory { dir in
            let (io, store, journal) = try faultyJournal(in: dir)
            try await journal.append(.user("one"))
            io.update { $0.renameError = EROFS }
            // The title is saved as a line even though folding it into the header failed.
            try await journal.setTitle("Kept")
            await #expect(throws: SessionError.self) { try await journal.compact() }
            io.update { $0.renameError = nil }
            try await journal.append(.user("two"))
            try await journal.close()

            let loaded = try store.load(id: journal.id)
            #expect(contents(loaded.messages) == ["one", "two"])
            #expect(loaded.summary.title == "Kept")
            #expect(try store.list().first?.title == "Kept")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aReadOnlyFolderMeansTheStoreIsUnavailable() async throws {
        try await withTemporaryDirectory { dir in
            let io = FaultyFileIO()
            io.update { $0.createError = EROFS }
            let store = SessionStore(directory: dir.appendingPathComponent("sessions"), fileIO: io)
            let error = try #require(throws: SessionError.self) {
                _ = try store.create(workingDirectory: dir, model: "m")
            }
            #expect(error.isRecoverable)
            #expect(error.description.contains("Read-only file system"))
        }
    }
}

/// A store whose writes fail on demand, and a fresh session in it.
private func faultyJournal(in dir: URL) throws -> (FaultyFileIO, SessionStore, SessionJournal) {
    let io = FaultyFileIO()
    let store = SessionStore(directory: dir, fileIO: io)
    return (io, store, try store.create(workingDirectory: dir, model: "m"))
}
