import AgentConfig
import MCPHostWire

/// The servers as agent-mcp reports them, and the notices for the user: the pure part of the
/// hub, applied one event at a time under its lock.
struct HubLedger: Sendable {
    /// In name order.
    private(set) var records: [ServerRecord]
    private(set) var notices: [String] = []
    /// Why agent-mcp is gone (or could not start); nil while it runs or before it starts.
    private(set) var helperGone: String?
    /// Process groups of servers agent-mcp spawned that may still run: agent kills them itself
    /// if agent-mcp dies before it could.
    private(set) var serverGroups: Set<Int32> = []
    private var reportedBadLine = false
    private var reportedHelperError = false

    init(servers: [MCPServerSettings]) {
        records = servers.sorted { $0.name < $1.name }.map(ServerRecord.init)
    }

    var isStarting: Bool { records.contains { $0.state == .starting } }

    func record(_ name: String) -> ServerRecord? { records.first { $0.name == name } }

    mutating func take() -> [String] {
        defer { notices = [] }
        return notices
    }

    mutating func apply(_ event: HostEvent) {
        switch event {
        case .server(let update): apply(update)
        case .notice(let text): notices.append(text)
        case .result: break  // The hub routes results to their calls.
        case .error(let message):
            guard !reportedHelperError else { return }
            reportedHelperError = true
            notices.append("agent-mcp: \(message)")
        }
    }

    private mutating func apply(_ update: ServerUpdate) {
        guard let index = records.firstIndex(where: { $0.name == update.name }) else {
            notices.append("agent-mcp: a report about an unknown MCP server '\(update.name)' was ignored")
            return
        }
        let before = records[index].state
        records[index].state = update.state
        if let pid = update.pid { records[index].pid = pid }
        if let logFile = update.logFile { records[index].logFile = logFile }
        records[index].tools = update.tools
        switch update.state {
        case .starting, .ready, .exited:
            if let pid = update.pid { serverGroups.insert(pid) }
        case .failed(let reason):
            if let pid = records[index].pid { serverGroups.remove(pid) }
            if before == .starting { notices.append("MCP server '\(update.name)' did not start: \(reason)") }
        case .stopped:
            // agent-mcp says it once the server's group has been ended; the group stays for
            // `shutdown` to make sure of all the same (killing an ended group does nothing).
            break
        case .disabled:
            if let pid = records[index].pid { serverGroups.remove(pid) }
        }
    }

    /// A line from agent-mcp that cannot be read: the first is a notice; one of another
    /// protocol version means agent-mcp must be ended (returns true).
    mutating func unreadable(_ error: WireError) -> Bool {
        if error.isFatal {
            notices.append("MCP servers are not available: agent-mcp speaks \(error)")
            gone("agent-mcp speaks \(error)", failing: "agent-mcp speaks another protocol version")
            return true
        }
        if !reportedBadLine {
            reportedBadLine = true
            notices.append("agent-mcp: a line could not be read: \(error)")
        }
        return false
    }

    /// agent-mcp could not be started at all.
    mutating func helperUnavailable(_ reason: String) {
        notices.append("MCP servers are not available: agent-mcp, which runs them, cannot start: \(reason)")
        gone(reason, failing: "agent-mcp, which runs MCP servers, cannot start")
    }

    /// agent-mcp ended; `expected` when agent ended it (no notice then).
    mutating func helperEnded(_ reason: String, expected: Bool) {
        guard helperGone == nil else { return }
        if expected {
            for index in records.indices where [.starting, .ready].contains(records[index].state) {
                records[index].state = .stopped
            }
        } else {
            notices.append("MCP servers are not available: agent-mcp, which runs them, ended (\(reason))")
        }
        gone(reason, failing: "agent-mcp ended: \(reason)")
    }

    /// Servers starting fail and servers ready exit, with `why`; calls can no longer run.
    private mutating func gone(_ reason: String, failing why: String) {
        helperGone = reason
        for index in records.indices {
            switch records[index].state {
            case .starting: records[index].state = .failed(why)
            case .ready: records[index].state = .exited(why)
            case .disabled, .failed, .exited, .stopped: break
            }
        }
    }

    /// The groups to kill now that agent-mcp cannot; forgotten once taken.
    mutating func takeServerGroups() -> Set<Int32> {
        defer { serverGroups = [] }
        return serverGroups
    }
}
