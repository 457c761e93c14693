import AgentCore
import AgentProtocol
import Foundation
import MCPHostWire

extension HelperSession {
    /// agent waits this much longer than the tool's own timeout (which agent-mcp enforces) before
    /// it stops waiting for agent-mcp.
    static let timeoutMargin: Double = 5

    /// Calls `tool` of `server` through agent-mcp; cancelling the calling task stops the wait at
    /// once and cancels the request (agent-mcp tells the server).
    func call(server: String, tool: String, arguments: [String: JSONValue], timeout: Double, shownAs displayName: String)
        async throws(ToolError) -> String
    {
        let (link, id) = try admit(server)
        let timer = Task {
            // Cancelled when the answer came first: then nothing is left to time out.
            do { try await Task.sleep(for: Self.duration(timeout + Self.timeoutMargin)) } catch { return }
            finish(id, .timedOut)
        }
        defer { timer.cancel() }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<CallOutcome, Never>) in
                let known = state.withLock { state -> CallOutcome? in
                    if let gone = state.ledger.helperGone { return .helperGone(gone) }
                    return state.calls.wait(id, waiter)
                }
                if let known { return waiter.resume(returning: known) }
                link.send(.call(HostCall(id: id, server: server, tool: tool, arguments: arguments, timeout: timeout,
                                         displayName: displayName)))
            }
        } onCancel: {
            finish(id, .cancelled)
        }
        return try text(of: outcome, call: id, link: link, shownAs: displayName, timeout: timeout)
    }

    /// The link to agent-mcp and a new call id, when the server is ready to take a call.
    private func admit(_ server: String) throws(ToolError) -> (HelperLink, Int) {
        let admitted = state.withLock { state -> Result<(HelperLink, Int), ToolError> in
            let record = state.ledger.record(server)
            guard let record, record.state == .ready, let link = state.link, state.ledger.helperGone == nil else {
                let shown = record.map { "\($0.state)" } ?? "not configured"
                return .failure(ToolError("the MCP server '\(server)' is not available (\(shown))"))
            }
            return .success((link, state.calls.newID()))
        }
        return try admitted.get()
    }

    /// What the model is told; a call that ended without its result is cancelled in agent-mcp.
    private func text(
        of outcome: CallOutcome, call id: Int, link: HelperLink, shownAs displayName: String, timeout: Double
    ) throws(ToolError) -> String {
        switch outcome {
        case .result(let result):
            if result.isError { throw ToolError(result.text) }
            return result.text
        case .cancelled:
            link.send(.cancel(id: id))
            throw ToolError("\(displayName) was cancelled")
        case .timedOut:
            link.send(.cancel(id: id))
            throw ToolError("\(displayName) gave no answer: agent-mcp, which runs MCP servers, did not answer within "
                + "\(Self.secondsText(timeout + Self.timeoutMargin)) s")
        case .helperGone(let reason):
            throw ToolError("\(displayName) failed: agent-mcp, which runs MCP servers, ended (\(reason))")
        }
    }

    /// Finishes call `id` (from any thread), resuming its waiter if it waits.
    func finish(_ id: Int, _ outcome: CallOutcome) {
        state.withLock { $0.calls.finish(id, outcome) }?.resume(returning: outcome)
    }

    /// Clamped to a range a `Duration` holds, so the conversion cannot trap.
    static func duration(_ seconds: Double) -> Duration {
        let range = 0.001...100_000.0
        let clamped = seconds.isNaN ? range.lowerBound : min(max(seconds, range.lowerBound), range.upperBound)
        return .milliseconds(Int64((clamped * 1000).rounded()))
    }

    /// Seconds as a person writes them: `2`, `0.5`.
    static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e9 ? String(Int(seconds)) : String(seconds)
    }
}
