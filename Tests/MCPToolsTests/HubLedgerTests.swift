import AgentConfig
import MCPHostWire
import Testing

@testable import MCPTools

/// The hub's pure state: what each report from agent-mcp does to the servers and the notices.
@Suite struct HubLedgerTests {
    func ledger() -> HubLedger {
        var off = MCPServerSettings(name: "off", command: "x")
        off.enabled = false
        return HubLedger(servers: [MCPServerSettings(name: "b", command: "x"), MCPServerSettings(name: "a", command: "x"), off])
    }

    @Test func serversAreInNameOrderAndStartAsConfigured() {
        let ledger = ledger()
        #expect(ledger.records.map(\.name) == ["a", "b", "off"])
        #expect(ledger.records.map(\.state) == [.starting, .starting, .disabled])
        #expect(ledger.isStarting)
    }

    @Test func aServerThatFailsToStartIsOneNoticeAndItsGroupIsForgotten() {
        var ledger = ledger()
        ledger.apply(.server(ServerUpdate(name: "a", state: .starting, pid: 10)))
        #expect(ledger.serverGroups == [10])
        ledger.apply(.server(ServerUpdate(name: "a", state: .failed("no answer within 2 s (startup_timeout_sec)"), pid: 10)))
        ledger.apply(.server(ServerUpdate(name: "b", state: .ready, pid: 11, tools: [
            HostedTool(name: "t", description: "", inputSchema: ["type": "object"], readOnly: true),
        ])))
        #expect(!ledger.isStarting)
        #expect(ledger.serverGroups == [11])
        #expect(ledger.record("b")?.tools.map(\.name) == ["t"])
        let notices = ledger.take(), again = ledger.take()
        #expect(notices == ["MCP server 'a' did not start: no answer within 2 s (startup_timeout_sec)"])
        #expect(again.isEmpty)
    }

    @Test func onlyTheFirstUnreadableLineAndTheFirstErrorAreNotices() {
        var ledger = ledger()
        let first = ledger.unreadable(.notJSON("x")), second = ledger.unreadable(.missingField("name"))
        #expect(!first && !second)
        ledger.apply(.error("a request could not be read: no \"id\""))
        ledger.apply(.error("again"))
        let notices = ledger.take()
        #expect(notices == ["agent-mcp: a line could not be read: not JSON (x)",
                                  "agent-mcp: a request could not be read: no \"id\""])
    }

    @Test func anotherProtocolVersionEndsMCP() {
        var ledger = ledger()
        let fatal = ledger.unreadable(.unsupportedVersion(2))
        #expect(fatal)
        #expect(ledger.records.map(\.state) == [.failed("agent-mcp speaks another protocol version"),
                                                .failed("agent-mcp speaks another protocol version"), .disabled])
        #expect(ledger.helperGone != nil)
    }

    @Test func anUnexpectedEndFailsWhatStartsAndExitsWhatRuns() {
        var ledger = ledger()
        ledger.apply(.server(ServerUpdate(name: "b", state: .ready, pid: 11)))
        ledger.helperEnded("was killed by signal 9", expected: false)
        #expect(ledger.records.map(\.state) == [.failed("agent-mcp ended: was killed by signal 9"),
                                                .exited("agent-mcp ended: was killed by signal 9"), .disabled])
        let notices = ledger.take(), groups = ledger.takeServerGroups()
        #expect(notices == ["MCP servers are not available: agent-mcp, which runs them, ended (was killed by signal 9)"])
        #expect(groups == [11])
        ledger.helperEnded("again", expected: false)
        let later = ledger.take()
        #expect(later.isEmpty)
    }

    /// "stopped" comes as agent-mcp begins to end a server; its group is kept until agent-mcp has
    /// gone, so a helper killed mid-way leaves nothing agent does not know of.
    @Test func aStoppedServerKeepsItsGroupUntilTheHelperHasGone() {
        var ledger = ledger()
        ledger.apply(.server(ServerUpdate(name: "b", state: .ready, pid: 11)))
        ledger.apply(.server(ServerUpdate(name: "b", state: .stopped, pid: 11)))
        #expect(ledger.takeServerGroups() == [11])
    }

    @Test func anEndAgentAskedForStopsTheServersQuietly() {
        var ledger = ledger()
        ledger.apply(.server(ServerUpdate(name: "b", state: .ready, pid: 11)))
        ledger.helperEnded("exited with status 0", expected: true)
        #expect(ledger.records.map(\.state) == [.stopped, .stopped, .disabled])
        let notices = ledger.take()
        #expect(notices.isEmpty)
    }

    @Test func aCallIsFinishedOnceWhicheverComesFirst() async {
        var book = CallBook()
        let first = book.newID(), second = book.newID()
        #expect(first != second)
        // An outcome before its waiter is kept for it; a second outcome is dropped.
        let cancelled = book.finish(first, .cancelled), late = book.finish(first, .timedOut)
        #expect(cancelled == nil && late == nil)
        let outcome = await withCheckedContinuation { waiter in
            if let early = book.wait(first, waiter) { waiter.resume(returning: early) }
        }
        guard case .cancelled = outcome else { Issue.record("got \(outcome)"); return }
        // The end of agent-mcp finishes every open call; later outcomes are dropped.
        let waiting = book.takeAll(), afterwards = book.finish(second, .timedOut)
        #expect(waiting.isEmpty && afterwards == nil)
    }
}
