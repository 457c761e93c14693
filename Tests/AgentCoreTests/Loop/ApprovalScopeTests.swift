import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@testable import AgentCore

/// Records every request and answers from a list (the last answer repeats).
final class ScriptedApprover: Approver {
    let answers: [ApprovalAnswer]
    let requests = Mutex<[ApprovalRequest]>([])
    init(_ answers: [ApprovalAnswer]) { self.answers = answers }
    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        requests.withLock { list in
            list.append(request)
            return answers[min(list.count - 1, answers.count - 1)]
        }
    }
    var asked: [ApprovalRequest] { requests.withLock { $0 } }
}

import Synchronization

@Suite(.timeLimit(.minutes(1))) struct ApprovalScopeTests {
    typealias V = ApprovalPolicy.Verdict

    @Test func theTable() {
        func v(_ mode: ApprovalMode, mutating: Bool, outside: Bool, always: Bool = false) -> V {
            ApprovalPolicy.verdict(mode: mode, tool: "t", isMutating: mutating, outside: outside,
                                   alwaysAllowed: always ? ["t"] : [])
        }
        #expect(v(.ask, mutating: false, outside: false) == .run)
        #expect(v(.ask, mutating: true, outside: false) == .ask(allowsAlways: true))
        #expect(v(.ask, mutating: true, outside: false, always: true) == .run)
        #expect(v(.ask, mutating: true, outside: true, always: true) == .ask(allowsAlways: false))
        #expect(v(.ask, mutating: false, outside: true, always: true) == .ask(allowsAlways: false))
        #expect(v(.auto, mutating: true, outside: false) == .run)
        #expect(v(.auto, mutating: false, outside: true) == .ask(allowsAlways: false))
        #expect(v(.full, mutating: true, outside: true) == .run)
        #expect(v(.readOnly, mutating: false, outside: false) == .run)
        #expect(v(.readOnly, mutating: false, outside: true) == .ask(allowsAlways: false))
        if case .deny = v(.readOnly, mutating: true, outside: false) {} else { Issue.record("read-only ran a change") }
    }

    /// A changing tool that may act outside the workspace unseen (an MCP tool not declared
    /// `openWorldHint: false`): `auto` asks before it, and "always" is remembered for it; its
    /// reads, and every other mode, are as for any tool.
    @Test func theTableForToolsThatMayActOutside() {
        func v(_ mode: ApprovalMode, mutating: Bool = true, always: Bool = false) -> V {
            ApprovalPolicy.verdict(mode: mode, tool: "t", isMutating: mutating, outside: false,
                                   alwaysAllowed: always ? ["t"] : [], mayActOutside: true)
        }
        #expect(v(.auto) == .ask(allowsAlways: true))
        #expect(v(.auto, always: true) == .run)
        #expect(v(.auto, mutating: false) == .run)
        #expect(v(.ask) == .ask(allowsAlways: true))
        #expect(v(.full) == .run)
        if case .deny = v(.readOnly) {} else { Issue.record("read-only ran a change") }
    }

    /// Through the loop: under `auto` a local changing tool runs unasked; one that may act
    /// outside is asked about (and "always" covers it after), and without a terminal (`-p`) it
    /// is denied with the way to allow it.
    @Test func autoAsksBeforeAToolThatMayActOutside() async throws {
        let ws = try TemporaryWorkspace()
        func calls(_ names: [String]) -> [FakeReply] {
            names.enumerated().flatMap { i, name -> [FakeReply] in [
                .sse([SSE.toolCall(index: 0, id: "c\(i)", name: name, arguments: #"{"text":"x"}"#), SSE.finish(), SSE.done]),
                .sse(SSE.answer(["ok"])),
            ] }
        }
        let local = NoteTool(), remote = NoteTool(name: "post", mayActOutside: true)
        let approver = ScriptedApprover([.always])
        let server = FakeModelServer(script: calls(["note", "post", "post"]))
        let h = try await LoopHarness.start(server, tools: [local, remote], approval: .auto, approver: approver,
                                            workspace: URL(fileURLWithPath: ws.root))
        for input in ["one", "two", "three"] { _ = await h.turn(input) }
        await h.stop()
        #expect(approver.asked.map(\.call.name) == ["post"])
        #expect(approver.asked.first?.allowsAlways == true && approver.asked.first?.mayActOutsideWorkspace == true)
        #expect(local.written.withLock { $0 } == ["x"] && remote.written.withLock { $0 } == ["x", "x"])

        let script = FakeModelServer(script: calls(["post"]))
        let unattended = NoteTool(name: "post", mayActOutside: true)
        let p = try await LoopHarness.start(script, tools: [unattended], approval: .auto, approver: nil,
                                            workspace: URL(fileURLWithPath: ws.root))
        _ = await p.turn("post it")
        await p.stop()
        #expect(unattended.written.withLock { $0 }.isEmpty)
        let body = try #require(script.chatRequests.last?.body)
        #expect(body.contains("denied: post needs the user's approval and there is no terminal to ask"))
        #expect(body.contains("only --approval full runs it without asking"))
    }

    func writes(_ paths: [String]) -> [FakeReply] {
        paths.enumerated().flatMap { i, path -> [FakeReply] in [
            .sse([SSE.toolCall(index: 0, id: "w\(i)", name: "write_file",
                               arguments: "{\"path\":\"\(path)\",\"content\":\"x\\n\"}"), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ] }
    }

    /// "Always" for a write inside the workspace, then a write outside it: asked again, and
    /// nothing written when the answer is no.
    @Test func alwaysInsideDoesNotCoverOutside() async throws {
        let ws = try TemporaryWorkspace()
        let outsideFile = ws.outside + "/evil.txt"
        let approver = ScriptedApprover([.always, .no])
        let server = FakeModelServer(script: writes(["inside.txt", "inside2.txt", outsideFile]))
        let h = try await LoopHarness.start(server, tools: [WriteFileTool()], approval: .ask, approver: approver,
                                            workspace: URL(fileURLWithPath: ws.root))
        _ = await h.turn("one")
        _ = await h.turn("two")
        _ = await h.turn("three")
        await h.stop()
        #expect(approver.asked.count == 2)
        #expect(approver.asked.map(\.allowsAlways) == [true, false])
        #expect(ws.exists("inside.txt") && ws.exists("inside2.txt"))
        #expect(!FileManager.default.fileExists(atPath: outsideFile))
        #expect(server.chatRequests.last?.body.contains("declined") == true)
    }

    /// `auto` without a terminal (`-p`): inside runs, outside is denied, even a read.
    @Test func autoWithoutATerminalDeniesOutsidePaths() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write(ws.outside + "/secret.txt", "top secret\n")
        try ws.write("mine.txt", "mine\n")
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "r1", name: "read_file", arguments: "{\"path\":\"mine.txt\"}"),
                  SSE.toolCall(index: 1, id: "r2", name: "read_file", arguments: "{\"path\":\"\(ws.outside)/secret.txt\"}"),
                  SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        let h = try await LoopHarness.start(server, tools: [ReadFileTool()], approval: .auto, approver: nil,
                                            workspace: URL(fileURLWithPath: ws.root))
        _ = await h.turn("read")
        await h.stop()
        let body = try #require(server.chatRequests.last?.body)
        #expect(body.contains("mine"))
        #expect(!body.contains("top secret"))
        #expect(body.contains("outside the workspace always need the user's consent"))
    }

    @Test func fullRunsOutsideWithoutAsking() async throws {
        let ws = try TemporaryWorkspace()
        let approver = ScriptedApprover([.no])
        let server = FakeModelServer(script: writes([ws.outside + "/made.txt"]))
        let h = try await LoopHarness.start(server, tools: [WriteFileTool()], approval: .full, approver: approver,
                                            workspace: URL(fileURLWithPath: ws.root))
        _ = await h.turn("write")
        await h.stop()
        #expect(approver.asked.isEmpty)
        #expect(FileManager.default.fileExists(atPath: ws.outside + "/made.txt"))
    }
}
