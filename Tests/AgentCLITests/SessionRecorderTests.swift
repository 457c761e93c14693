import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Synchronization
import Testing

@testable import AgentCLI

/// Save failures reach the user: none is swallowed.
@Suite("Session recorder")
struct SessionRecorderTests {
    final class Warnings: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func recorder(in folder: URL, warnings: Warnings) -> SessionRecorder {
        SessionRecorder(store: SessionStore(directory: folder.appendingPathComponent("sessions")),
                        workingDirectory: folder, model: "m1", autosave: true, warn: { warnings.add($0) })
    }

    @Test func savesAsItGoesAndClosesQuietly() async throws {
        try await withTemporaryDirectory { folder in
            let warnings = Warnings()
            let recorder = recorder(in: folder, warnings: warnings)
            await recorder.record(.user("hello"))
            await recorder.setModel("m2")
            await recorder.close()
            #expect(warnings.all.isEmpty)
            let id = try #require(await recorder.sessionID)
            let (journal, loaded) = try SessionStore(directory: folder.appendingPathComponent("sessions")).open(id: id)
            try await journal.close()
            #expect(loaded.messages.map(\.content) == ["hello"])
            #expect(loaded.summary.model == "m2")
        }
    }

    @Test func aModelChangeThatCannotBeSavedIsReported() async throws {
        try await withTemporaryDirectory { folder in
            let warnings = Warnings()
            let recorder = recorder(in: folder, warnings: warnings)
            await recorder.record(.user("hello"))
            // The journal is closed underneath the recorder: the next save must fail, loudly.
            try await #require(await recorder.journal).close()
            await recorder.setModel("m2")
            #expect(warnings.all.count == 1)
            #expect(warnings.all.first?.hasPrefix("warning: session ") == true)
        }
    }

    @Test func aSessionThatCannotBeCreatedIsReportedOnce() async throws {
        try await withTemporaryDirectory { folder in
            // A file where the sessions folder should be.
            try Data("x".utf8).write(to: folder.appendingPathComponent("sessions"))
            let warnings = Warnings()
            let recorder = recorder(in: folder, warnings: warnings)
            await recorder.record(.user("one"))
            await recorder.record(.user("two"))
            await recorder.close()
            #expect(warnings.all.count == 1)
            #expect(warnings.all.first?.hasPrefix("warning: cannot save sessions in ") == true)
        }
    }

    /// Saves that overlap (a SIGTERM's `close()` during a turn's `record`, or two records): each
    /// message is saved exactly once. Before, the actor, reentrant at each append, let every
    /// writer append the first waiting message and then remove one: duplicates, then a crash
    /// on an empty array (`aSignalDuringTheStartUpWaitEndsAgentAtOnce` found it).
    @Test func overlappingSavesWriteEachMessageOnce() async throws {
        try await withTemporaryDirectory { folder in
            let warnings = Warnings()
            let recorder = recorder(in: folder, warnings: warnings)
            await recorder.record(.user("first"))
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<20 { group.addTask { await recorder.record(.user("m\(n)")) } }
            }
            await recorder.close()
            #expect(warnings.all.isEmpty)
            let id = try #require(await recorder.sessionID)
            let (journal, loaded) = try SessionStore(directory: folder.appendingPathComponent("sessions")).open(id: id)
            try await journal.close()
            let contents = loaded.messages.map(\.content)
            #expect(contents.first == "first")
            #expect(contents.count == 21, "\(contents)")
            #expect(Set(contents) == Set(["first"] + (0..<20).map { "m\($0)" }))
        }
    }

    @Test func aFailedCloseSaysWhatWasLost() {
        let file = URL(fileURLWithPath: "/s/x.jsonl")
        #expect(SessionRecorder.closingFailure(.saveFailed(file: file, reason: "No space left on device", unsavedMessages: 2))
            == "warning: could not save session to /s/x.jsonl: No space left on device; 2 messages were not saved")
        #expect(SessionRecorder.closingFailure(.saveFailed(file: file, reason: "EIO", unsavedMessages: 1))
            == "warning: could not save session to /s/x.jsonl: EIO; 1 message was not saved")
        #expect(SessionRecorder.closingFailure(.closed("abc")) == "warning: session abc is closed")
    }
}

@Suite("Session recorder: compaction records")
struct SessionRecorderCompactionTests {
    /// With autosave off, a compaction waits with the messages and is written after them, in
    /// order, by `/save`.
    @Test func aCompactionIsSavedInOrderWithTheMessages() async throws {
        try await withTemporaryDirectory { folder in
            let store = SessionStore(directory: folder.appendingPathComponent("sessions"))
            let recorder = SessionRecorder(store: store, workingDirectory: folder, model: "m", autosave: false, warn: { _ in })
            for n in 1...3 {
                await recorder.record(.user("q\(n)"))
                await recorder.record(.assistant("a\(n)"))
            }
            await recorder.recordCompaction(CompactionEntry(summary: "S", keptMessages: 2, focus: nil, automatic: false))
            await recorder.record(.user("q4"))
            let journal = try await recorder.saveNow(title: nil)
            await recorder.close()
            let loaded = try store.load(id: journal.id)
            #expect(loaded.messages.count == 7)
            #expect(loaded.compactions.map(\.through) == [4])
            #expect(loaded.compactions.map(\.afterMessages) == [6])
            #expect(loaded.sentMessages.map(\.content).suffix(3) == ["q3", "a3", "q4"])
        }
    }
}
