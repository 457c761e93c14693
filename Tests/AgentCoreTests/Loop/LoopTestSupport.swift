import AgentProtocol
import AgentTestSupport
import Foundation
import ModelClient
import Synchronization
import Testing
@testable import AgentCore

/// A read-only tool that echoes its `text` argument.
struct EchoTool: Tool {
    var spec: ToolSpec { ToolSpec(name: "echo", description: "Echo text", parameters: ["type": "object"]) }
    var isMutating: Bool { false }
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        ToolPlan(summary: "echo \(try arguments.string("text"))")
    }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        "echo: " + (try arguments.string("text"))
    }
}

/// A mutating tool that records what it was asked to write; `mayActOutside` plays an MCP tool
/// whose server does not declare it local.
final class NoteTool: Tool {
    let written = Mutex<[String]>([])
    let name: String
    let mayActOutsideWorkspace: Bool
    init(name: String = "note", mayActOutside: Bool = false) {
        self.name = name
        mayActOutsideWorkspace = mayActOutside
    }
    var spec: ToolSpec { ToolSpec(name: name, description: "Write a note", parameters: ["type": "object"]) }
    var isMutating: Bool { true }
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        ToolPlan(summary: "note", preview: try arguments.string("text"))
    }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let text = try arguments.string("text")
        written.withLock { $0.append(text) }
        return "noted"
    }
}

struct FailingTool: Tool {
    var spec: ToolSpec { ToolSpec(name: "fail", description: "Always fails", parameters: ["type": "object"]) }
    var isMutating: Bool { false }
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan { ToolPlan(summary: "fail") }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        throw ToolError("disk on fire")
    }
}

/// Blocks until cancelled, telling the test when it started.
struct BlockingTool: Tool {
    let started: Gate
    var spec: ToolSpec { ToolSpec(name: "block", description: "Blocks", parameters: ["type": "object"]) }
    var isMutating: Bool { false }
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan { ToolPlan(summary: "block") }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        started.open()
        while !Task.isCancelled { await Task.yield(); try? await Task.sleep(for: .milliseconds(5)) }
        throw ToolError("cancelled")
    }
}

struct FixedApprover: Approver {
    let answer: ApprovalAnswer
    let asked = Counter()
    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        asked.increment()
        return answer
    }
}

/// Records messages like a session store would, counting them.
final class MemoryRecorder: ConversationRecorder {
    let stored = Mutex<[Message]>([])
    let partials = Mutex<[String]>([])
    let compactions = Mutex<[(entry: CompactionEntry, afterMessages: Int)]>([])
    var messages: [Message] { stored.withLock { $0 } }
    func record(_ message: Message) async { stored.withLock { $0.append(message) } }
    func recordCompaction(_ entry: CompactionEntry) async {
        let count = stored.withLock { $0.count }
        compactions.withLock { $0.append((entry, count)) }
    }
    func recordPartial(appending text: String, reasoning: String) { partials.withLock { $0.append(text) } }
    func discardPartial() async { partials.withLock { $0.append("") } }
}

final class EventLog: Sendable {
    let events = Mutex<[AgentEvent]>([])
    var all: [AgentEvent] { events.withLock { $0 } }
    var emit: @Sendable (AgentEvent) -> Void { { event in self.events.withLock { $0.append(event) } } }
}

struct LoopHarness {
    let server: FakeModelServer
    let client: LLMClient
    let loop: AgentLoop
    let recorder: MemoryRecorder
    let log = EventLog()

    static func start(
        _ server: FakeModelServer, tools: [any Tool] = [EchoTool()], approval: ApprovalMode = .auto,
        approver: (any Approver)? = nil, maxRounds: Int = 25, secrets: Secrets = Secrets(),
        workspace: URL = FileManager.default.temporaryDirectory
    ) async throws -> LoopHarness {
        try await server.start()
        let client = LLMClient(config: LLMConfig(
            model: "test-model", endpoint: server.endpoint, connectTimeout: 2, maxRetries: 2, backoffBase: 0.001,
            backoffMax: 0.002))
        let recorder = MemoryRecorder()
        let loop = AgentLoop(
            model: client, tools: tools,
            options: .init(
                maxToolRounds: maxRounds, approval: approval,
                toolContext: ToolContext(workspace: workspace, secrets: secrets)),
            approver: approver, recorder: recorder, messages: [.system("sys")])
        return LoopHarness(server: server, client: client, loop: loop, recorder: recorder)
    }

    func turn(_ input: String) async -> TurnOutcome {
        await loop.runTurn(input, emit: log.emit)
    }

    /// Stops both, and fails the test if any request broke the tool-call history invariant.
    func stop(sourceLocation: SourceLocation = #_sourceLocation) async {
        await client.shutdown()
        await server.stop()
        #expect(server.invariantViolations.isEmpty, "history invariant broken: \(server.invariantViolations)",
                sourceLocation: sourceLocation)
    }
}

extension TurnOutcome {
    var answer: String? {
        if case .answered(let text) = self { return text }
        return nil
    }
}
