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
        #expect(ledger.take() == ["MCP server 'a' did not start: no answer within 2 s (startup_timeout_sec)"])
        #expect(ledger.take().isEmpty)
    }

    @Test func onlyTheFirstUnreadableLineAndTheFirstErrorAreNotices() {
        var ledger = ledger()
        #expect(!ledger.unreadable(.notJSON("x")))
        #expect(!ledger.unreadable(.missingField("name")))
        ledger.apply(.error("a request could not be read: no \"id\""))
        ledger.apply(.error("again"))
        #expect(ledger.take() == ["agent-mcp: a line could not be read: not JSON (x)",
                                  "agent-mcp: a request could not be read: no \"id\""])
    }

    @Test func anotherProtocolVersionEndsMCP() {
        var ledger = ledger()
        #expect(ledger.unreadable(.unsupportedVersion(2)))
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
        #expect(ledger.take() == ["MCP servers are not available: agent-mcp, which runs them, ended (was killed by signal 9)"])
        #expect(ledger.takeServerGroups() == [11])
        ledger.helperEnded("again", expected: false)
        #expect(ledger.take().isEmpty)
    }

    @Test func anEndAgentAskedForStopsTheServersQuietly() {
        var ledger = ledger()
        ledger.apply(.server(ServerUpdate(name: "b", state: .ready, pid: 11)))
        ledger.helperEnded("exited with status 0", expected: true)
        #expect(ledger.records.map(\.state) == [.stopped, .stopped, .disabled])
        #expect(ledger.take().isEmpty)
    }

    @Test func aCallIsFinishedOnceWhicheverComesFirst() async {
        var book = CallBook()
        let first = book.newID(), second = book.newID()
        #expect(first != second)
        // An outcome before its waiter is kept for it; a second outcome is dropped.
        #expect(book.finish(first, .cancelled) == nil)
        #expect(book.finish(first, .timedOut) == nil)
        let outcome = await withCheckedContinuation { waiter in
            if let early = book.wait(first, waiter) { waiter.resume(returning: early) }
        }
        guard case .cancelled = outcome else { Issue.record("got \(outcome)"); return }
        // The end of agent-mcp finishes every open call; later outcomes are dropped.
        #expect(book.takeAll().isEmpty)
        #expect(book.finish(second, .timedOut) == nil)
    }
}
