import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct AgentLoopAttachmentTests {
    func loop(_ space: TemporaryWorkspace, approval: ApprovalMode, approver: (any Approver)?) -> AgentLoop {
        AgentLoop(model: NoModel(), tools: [], options: .init(approval: approval, toolContext: space.context()),
                  approver: approver, recorder: nil, messages: [])
    }

    @Test func aMentionedFileIsAttachedAfterTheWords() async throws {
        let space = try TemporaryWorkspace()
        try space.write("notes.txt", "alpha\nbeta\n")
        let attached = try await loop(space, approval: .ask, approver: nil).attach("summarise @notes.txt")
        #expect(attached.attached == ["notes.txt"])
        #expect(attached.text == "summarise @notes.txt\n\n<file path=\"notes.txt\">\n     1\talpha\n     2\tbeta\n</file>")
    }

    @Test func binaryFilesAreRefusedAsReadFileRefusesThem() async throws {
        let space = try TemporaryWorkspace()
        try space.write("blob.bin", Data([1, 0, 2]))
        await #expect(throws: AttachmentError.unreadable("blob.bin", reason: "blob.bin is a binary file; read_file only reads text")) {
            try await loop(space, approval: .auto, approver: nil).attach("@blob.bin")
        }
    }

    @Test func outsideTheWorkspaceNeedsApproval() async throws {
        let space = try TemporaryWorkspace()
        try "secret\n".write(toFile: space.outside + "/o.txt", atomically: true, encoding: .utf8)
        let prompt = "read @\(space.outside)/o.txt"
        await #expect {
            try await loop(space, approval: .ask, approver: nil).attach(prompt)
        } throws: { error in
            "\(error)".contains("outside the workspace, and read_file needs the user's approval")
        }
        let yes = FixedApprover(answer: .yes)
        let attached = try await loop(space, approval: .ask, approver: yes).attach(prompt)
        #expect(attached.text.contains("     1\tsecret"))
        #expect(yes.asked.value == 1)
        let no = FixedApprover(answer: .no)
        await #expect(throws: AttachmentError.self) { try await loop(space, approval: .ask, approver: no).attach(prompt) }
    }

    @Test func aFolderIsAttachedAsItsListing() async throws {
        let space = try TemporaryWorkspace()
        try space.write("src/a.swift", "x")
        let attached = try await loop(space, approval: .ask, approver: nil).attach("what is in @src/")
        #expect(attached.text.contains("<directory path=\"src\">"))
        #expect(attached.text.contains("a.swift"))
    }
}

/// A model that is never asked anything.
struct NoModel: ChatModel {
    var modelName: String { "none" }
    func streamChat(messages: [Message], tools: [ToolSpec]) -> AsyncThrowingStream<ModelEvent, any Error> {
        AsyncThrowingStream { $0.finish() }
    }
}
