import AgentConfig
import ChildProcesses
import Foundation
import MCPHostWire
import Synchronization

/// agent's side of the conversation with agent-mcp: the servers as it reports them (`HubLedger`),
/// the calls waiting for their results, and the ways it ends.
///
/// Every event is applied under one lock, on the reader's thread, in the order agent-mcp wrote
/// them; nothing is awaited under the lock. If agent-mcp dies, every waiting call fails at once,
/// one notice says MCP is gone, and agent kills the server groups agent-mcp could not.
final class HelperSession: Sendable {
    struct State {
        var ledger: HubLedger
        var link: HelperLink?
        var launched = false
        var ending = false
        var calls = CallBook()
        /// Server groups in `ChildProcessRegistry`, the exit backstop.
        var registered: Set<Int32> = []
        /// Tasks waiting for no server to be starting any more.
        var settleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    let state: Mutex<State>

    init(servers: [MCPServerSettings]) {
        state = Mutex(State(ledger: HubLedger(servers: servers)))
    }

    var ledger: HubLedger { state.withLock { $0.ledger } }
    var helperProcessID: Int32? { state.withLock { $0.link?.pid } }

    /// Starts agent-mcp and sends it the servers; a helper that cannot start is one notice.
    func launch(_ start: HostStart, helper: Result<String, HelperLocation.Missing>, environment: [String: String],
                secrets: Set<String>, logFile: String?) {
        guard state.withLock({ state in
            defer { state.launched = true }
            return !state.launched && !state.ending
        }) else { return }
        let link: HelperLink
        do {
            link = try HelperLink(
                executable: try helper.get(), environment: environment, secrets: secrets, directory: start.workspace,
                logFile: logFile, onPiece: { [self] in receive($0) }, onExit: { [self] in helperEnded($0) })
        } catch let missing as HelperLocation.Missing {
            update { $0.ledger.helperUnavailable(missing.description) }
            return
        } catch {
            update { $0.ledger.helperUnavailable("\(error)") }
            return
        }
        ChildProcessRegistry.shared.add(link.pid)
        let (ending, gone) = state.withLock { state in
            state.link = link
            return (state.ending, state.ledger.helperGone != nil)
        }
        // Shut down meanwhile, or its first line spoke another protocol: it must go.
        if ending { return link.kill() }
        // It died already, before its link was kept: nothing is left to end.
        if gone { return ChildProcessRegistry.shared.remove(link.pid) }
        link.send(.start(start))
    }

    /// One line from agent-mcp, on the reader's thread.
    private func receive(_ piece: LineFramer.Piece) {
        let event: HostEvent
        switch piece {
        case .oversized(let bytes):
            update { _ = $0.ledger.unreadable(.tooLong(bytes: bytes)) }
            return
        case .line(let line):
            do {
                event = try HostWire.decodeEvent(line)
            } catch {
                var fatal = false
                update { fatal = $0.ledger.unreadable(error) }
                if fatal { abandonHelper() }
                return
            }
        }
        if case .result(let result) = event {
            finish(result.id, .result(result))
            return
        }
        update { $0.ledger.apply(event) }
        registerServerGroups()
    }

    /// Applies `change`, then wakes the waiters once no server is starting.
    func update(_ change: (inout State) -> Void) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            change(&state)
            guard !state.ledger.isStarting else { return [] }
            defer { state.settleWaiters = [:] }
            return Array(state.settleWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The exit backstop kills the server groups that may still run, should agent end before
    /// agent-mcp could end them.
    private func registerServerGroups() {
        let (added, removed) = state.withLock { state -> (Set<Int32>, Set<Int32>) in
            // Once agent is ending them, `shutdown` owns what is left: nothing is added back.
            let current = state.ending ? state.ledger.serverGroups.intersection(state.registered)
                : state.ledger.serverGroups
            defer { state.registered = current }
            return (current.subtracting(state.registered), state.registered.subtracting(current))
        }
        for group in added { ChildProcessRegistry.shared.add(group) }
        for group in removed { ChildProcessRegistry.shared.remove(group) }
    }

    /// agent-mcp speaks another protocol: nothing it says can be trusted, so it is killed.
    private func abandonHelper() {
        let link = state.withLock { state -> HelperLink? in
            state.ending = true
            return state.link
        }
        link?.kill()
    }

    /// agent-mcp has ended (`reason`: how, and its last stderr line).
    private func helperEnded(_ reason: String) {
        var groups: Set<Int32> = []
        var expected = false
        var calls: [CheckedContinuation<CallOutcome, Never>] = []
        update { state in
            expected = state.ending
            state.ledger.helperEnded(reason, expected: expected)
            groups = state.ledger.takeServerGroups().union(state.registered)
            state.registered = []
            calls = state.calls.takeAll()
            if let link = state.link { ChildProcessRegistry.shared.remove(link.pid) }
        }
        for group in groups {
            // agent-mcp ends its servers on every way out but a crash or SIGKILL; then agent must.
            if !expected { _ = kill(-group, SIGKILL) }
            ChildProcessRegistry.shared.remove(group)
        }
        for call in calls { call.resume(returning: .helperGone(reason)) }
    }

    /// Returns once no server is starting (or the calling task is cancelled).
    func waitUntilSettled() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let settled = state.withLock { state -> Bool in
                    if !state.ledger.isStarting || Task.isCancelled { return true }
                    state.settleWaiters[id] = continuation
                    return false
                }
                if settled { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.settleWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Ends agent-mcp, which ends every server; waits at most `grace` and a second more before
    /// killing it and them.
    func shutdown(grace: Duration) async {
        let link = state.withLock { state -> HelperLink? in
            guard !state.ending else { return nil }
            state.ending = true
            return state.link
        }
        guard let link else {
            update { if $0.link == nil { $0.ledger.helperEnded("agent ended", expected: true) } }
            return
        }
        await link.end(grace: grace)
        // agent-mcp has exited. It ends its servers on the way out, unless it had to be killed
        // after the grace: whatever of theirs is left ends now, and the exit backstop is cleared
        // before this returns (the exit watcher's `helperEnded` may come later; it is idempotent).
        let groups = state.withLock { state in
            defer { state.registered = [] }
            return state.registered.union(state.ledger.takeServerGroups())
        }
        for group in groups {
            _ = kill(-group, SIGKILL)
            ChildProcessRegistry.shared.remove(group)
        }
        ChildProcessRegistry.shared.remove(link.pid)
    }
}
