import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite("Session round trip", .timeLimit(.minutes(1)))
struct SessionRoundTripTests {
    static let conversation: [Message] = [
        Message(role: .system, content: "You are terse.", metadata: MessageMetadata(createdAt: exactDate(0))),
        Message(role: .user, content: "List files\nthen \"explain\" ü 漢字 🚀", metadata: MessageMetadata(createdAt: exactDate(1))),
        Message(
            role: .assistant, content: "",
            toolCalls: [ToolCall(id: "call_1", name: "list_files", arguments: #"{"path":"."}"#)],
            metadata: MessageMetadata(createdAt: exactDate(2), reasoning: "Need the listing first.")),
        Message(
            role: .tool, content: "a.swift\nb.swift", toolCallID: "call_1", name: "list_files",
            metadata: MessageMetadata(createdAt: exactDate(3))),
        Message(
            role: .assistant, content: "Two files.",
            metadata: MessageMetadata(
                createdAt: exactDate(4.5), interrupted: true, note: "dropped 1 half-received tool call")),
    ]

    @Test func appendedMessagesLoadBackWithTheirMetadata() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let workspace = dir.appendingPathComponent("project")
            let journal = try store.create(workingDirectory: workspace, model: "qwen3:8b", title: "Listing", now: exactDate())
            for message in Self.conversation { try await journal.append(message) }

            let loaded = try store.load(id: journal.id)
            #expect(loaded.messages == Self.conversation)
            #expect(loaded.skippedLines == 0)
            #expect(loaded.recoveredPartial == false)
            #expect(loaded.summary.id == journal.id)
            #expect(loaded.summary.created == exactDate())
            #expect(loaded.summary.title == "Listing")
            #expect(loaded.summary.model == "qwen3:8b")
            #expect(loaded.summary.workingDirectory.path == workspace.path)
            #expect(loaded.summary.messageCount == Self.conversation.count)
            #expect(loaded.summary.fileURL == journal.fileURL)
            try await journal.close()
        }
    }

    @Test func everyLineIsOneJSONObjectAndTheHeaderHoldsOnlySessionFacts() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            for message in Self.conversation { try await journal.append(message) }
            try await journal.close()

            let lines = try fileLines(journal.fileURL)
            #expect(lines.last == "")
            let objects = try lines.dropLast().map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(objects.count == 1 + Self.conversation.count)
            #expect(Set(objects[0].keys) == ["type", "format", "id", "created", "cwd", "model", "title", "n"])
            #expect(objects[0]["type"] as? String == "session")
            #expect(objects.dropFirst().allSatisfy { $0["type"] as? String == "message" })
            #expect(objects.last?["n"] as? Int == Self.conversation.count)
        }
    }

    @Test func theFolderIsPrivateAndFilesAreOwnerOnly() async throws {
        try await withTemporaryDirectory { dir in
            let folder = dir.appendingPathComponent("state/agent/sessions")
            let store = SessionStore(directory: folder)
            let journal = try store.create(workingDirectory: dir, model: "m")
            try await journal.append(.user("hi"))
            try await journal.setTitle("compacted")
            #expect(try permissions(folder) == 0o700)
            #expect(try permissions(folder.deletingLastPathComponent()) == 0o700)
            #expect(try permissions(journal.fileURL) == 0o600)
            try await journal.close()
        }
    }

    @Test func anExistingWideFolderIsTightened() async throws {
        try await withTemporaryDirectory { dir in
            let folder = dir.appendingPathComponent("sessions")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
            let journal = try SessionStore(directory: folder).create(workingDirectory: dir, model: "m")
            #expect(try permissions(folder) == 0o700)
            try await journal.close()
        }
    }

    @Test func resumingContinuesTheSameFile() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let first = try store.create(workingDirectory: dir, model: "m")
            try await first.append(.user("one"))
            try await first.append(.assistant("two"))
            try await first.close()

            let (journal, loaded) = try store.open(id: first.id)
            #expect(contents(loaded.messages) == ["one", "two"])
            #expect(journal.fileURL == first.fileURL)
            #expect(await journal.messageCount == 2)
            try await journal.append(.user("three"))
            try await journal.close()

            #expect(contents(try store.load(id: first.id).messages) == ["one", "two", "three"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)
        }
    }

    @Test func aSessionOpenForWritingCannotBeOpenedTwice() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "m")
            #expect(throws: SessionError.inUse(journal.id)) { _ = try store.open(id: journal.id) }
            #expect(throws: SessionError.inUse(journal.id)) { try store.delete(id: journal.id) }
            // Reading is always allowed.
            #expect(try store.load(id: journal.id).messages.isEmpty)
            try await journal.close()
            let (reopened, _) = try store.open(id: journal.id)
            try await reopened.close()
        }
    }

    @Test func titleAndModelChangesAreSavedAndFoldedIntoTheHeader() async throws {
        try await withTemporaryDirectory { dir in
            let store = SessionStore(directory: dir)
            let journal = try store.create(workingDirectory: dir, model: "small")
            try await journal.append(.user("hello"))
            try await journal.setTitle("  Greeting  ")
            try await journal.setModel("large")
            try await journal.append(.assistant("hi"))

            let loaded = try store.load(id: journal.id)
            #expect(loaded.summary.title == "Greeting")
            #expect(loaded.summary.model == "large")
            #expect(contents(loaded.messages) == ["hello", "hi"])
            let lines = try fileLines(journal.fileURL)
            #expect(lines[0].contains(#""title":"Greeting""#))
            #expect(lines[0].contains(#""model":"large""#))
            #expect(!lines.contains { $0.contains(#""type":"title""#) || $0.contains(#""type":"model""#) })

            try await journal.setTitle("")
            #expect(try store.load(id: journal.id).summary.title == nil)
            try await journal.close()
        }
    }

    @Test func appendAfterCloseIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            let journal = try SessionStore(directory: dir).create(workingDirectory: dir, model: "m")
            try await journal.close()
            await #expect(throws: SessionError.closed(journal.id)) { try await journal.append(.user("late")) }
        }
    }

    @Test func theDefaultFolderFollowsXDGStateHome() {
        let home = URL(fileURLWithPath: "/home/ada")
        #expect(
            SessionStore.defaultDirectory(environment: [:], home: home).path == "/home/ada/.local/state/agent/sessions")
        #expect(
            SessionStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/var/state"], home: home).path
                == "/var/state/agent/sessions")
        #expect(
            SessionStore.defaultDirectory(environment: ["XDG_STATE_HOME": "relative"], home: home).path
                == "/home/ada/.local/state/agent/sessions")
    }
}
