import AgentCore
import Foundation
import MCPHostWire
import Synchronization

/// agent-mcp's side of the protocol: the servers of the `start` request, all started at once;
/// calls routed to them by id, each answered by exactly one `result`; cancellations; the end.
///
/// Never prints: everything agent should know goes out as events through `emit`, which keeps
/// them in order.
final class HostSession: Sendable {
    private struct State {
        var servers: [String: MCPServer] = [:]
        var started = false
        var calls: [Int: Task<Void, Never>] = [:]
        var ending: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let environment: [String: String]
    private let emit: @Sendable (HostEvent) -> Void

    /// - Parameters:
    ///   - environment: agent-mcp's own, the base of every server's.
    ///   - emit: sends one event to agent.
    init(environment: [String: String], emit: @escaping @Sendable (HostEvent) -> Void) {
        self.environment = environment
        self.emit = emit
    }

    /// Acts on one request at once; what takes time runs in tasks of its own.
    func handle(_ request: HostRequest) {
        switch request {
        case .start(let start): begin(start)
        case .call(let call): self.call(call)
        case .cancel(let id): state.withLock { $0.calls[id] }?.cancel()
        case .shutdown: break  // The caller ends the session: it decides when the process exits.
        }
    }

    private func begin(_ start: HostStart) {
        let servers = state.withLock { state -> [MCPServer]? in
            guard !state.started, state.ending == nil else { return nil }
            state.started = true
            let emit = self.emit
            let servers = start.servers.map { MCPServer(settings: $0, report: emit) }
            for server in servers { state.servers[server.name] = server }
            return servers
        }
        guard let servers else {
            emit(.error("the servers were started already; a second start is ignored"))
            return
        }
        let workspace = URL(fileURLWithPath: start.workspace)
        for server in servers where server.settings.enabled {
            Task { await self.start(server, workspace: workspace, clientVersion: start.clientVersion) }
        }
    }

    private func start(_ server: MCPServer, workspace: URL, clientVersion: String) async {
        let launch: ServerLaunch
        do {
            launch = try ServerLaunch(settings: server.settings, parent: environment, workspace: workspace)
        } catch {
            await server.markFailed(error.description)
            return
        }
        _ = await server.start(launch, clientVersion: clientVersion)
    }

    private func call(_ call: HostCall) {
        let emit = self.emit
        let accepted = state.withLock { state -> Bool in
            guard state.calls[call.id] == nil, state.ending == nil else { return false }
            let server = state.servers[call.server]
            state.calls[call.id] = Task {
                let result: CallResult
                if let server {
                    do throws(ToolError) {
                        let text = try await server.call(call.tool, arguments: call.arguments, timeout: call.timeout,
                                                         shownAs: call.displayName)
                        result = CallResult(id: call.id, text: text, isError: false)
                    } catch {
                        result = CallResult(id: call.id, text: error.message, isError: true)
                    }
                } else {
                    result = CallResult(id: call.id, text: "there is no MCP server '\(call.server)'", isError: true)
                }
                self.state.withLock { _ = $0.calls.removeValue(forKey: call.id) }
                emit(.result(result))
            }
            return true
        }
        if !accepted {
            emit(.result(CallResult(id: call.id, text: "\(call.displayName) was not run: agent-mcp is ending, or call "
                + "\(call.id) is running already", isError: true)))
        }
    }

    /// Ends every server at once, each with a short grace, then SIGKILL to its whole group.
    /// Every caller waits for the same ending.
    func shutdown(grace: Duration = .milliseconds(150)) async {
        let ending = state.withLock { state -> Task<Void, Never> in
            if let ending = state.ending { return ending }
            let servers = Array(state.servers.values)
            let ending = Task {
                await withTaskGroup(of: Void.self) { group in
                    for server in servers { group.addTask { await server.stop(grace: grace) } }
                }
            }
            state.ending = ending
            return ending
        }
        await ending.value
    }
}
