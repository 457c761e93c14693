import AgentProtocol
import Foundation

extension AgentLoop {
    static let abortedResult = "aborted by the user"

    /// Runs the calls of one assistant message in order and records a result for each.
    /// Returns false when the turn was cancelled; the calls that did not run get "aborted" results.
    func runTools(_ calls: [ToolCall], emit: @escaping @Sendable (AgentEvent) -> Void) async -> Bool {
        for (i, call) in calls.enumerated() {
            if Task.isCancelled {
                await abort(calls[i...])
                return false
            }
            let (output, isError) = await runOne(call, emit: emit)
            if Task.isCancelled {
                await append(.toolResult(id: call.id, name: call.name, content: Self.abortedResult))
                await abort(calls[(i + 1)...])
                return false
            }
            emit(.toolFinished(call, output: output, isError: isError))
            await append(.toolResult(id: call.id, name: call.name, content: output))
        }
        return true
    }

    private func abort(_ calls: ArraySlice<ToolCall>) async {
        for call in calls {
            await append(.toolResult(id: call.id, name: call.name, content: Self.abortedResult))
        }
    }

    /// Decodes, plans, approves and runs one call. Every failure becomes text for the model.
    private func runOne(_ call: ToolCall, emit: @escaping @Sendable (AgentEvent) -> Void) async -> (String, Bool) {
        guard let tool = tools[call.name] else {
            return ("error: unknown tool '\(call.name)'. Available tools: \(toolOrder.joined(separator: ", "))", true)
        }
        var context = options.toolContext
        let plan: ToolPlan
        let arguments: ToolArguments
        do {
            arguments = try ToolArguments(json: call.arguments)
            plan = try tool.plan(arguments, context: context)
        } catch {
            emit(.toolStarted(call, summary: call.name))
            return ("error: \(error.message)", true)
        }
        emit(.toolStarted(call, summary: plan.summary))

        switch await approve(call, tool: tool, plan: plan) {
        case .denied(let reason):
            emit(.toolDenied(call, reason: reason))
            return (reason, true)
        case .approved(let outside):
            context.allowOutsideWorkspace = outside
        }
        if Task.isCancelled { return (Self.abortedResult, true) }
        do {
            return (try await tool.run(arguments, context: context), false)
        } catch {
            return ("error: \(error.message)", true)
        }
    }

    enum Decision {
        case approved(outsideWorkspace: Bool)
        case denied(String)
    }

    func approve(_ call: ToolCall, tool: any Tool, plan: ToolPlan) async -> Decision {
        let outside = !plan.outsidePaths.isEmpty
        let mode = options.approval
        if mode == .readOnly && tool.isMutating {
            return .denied("denied: agent is in read-only mode, so \(call.name) cannot run")
        }
        let needsAsk: Bool = switch mode {
        case .auto: false
        case .ask: (tool.isMutating || outside) && !alwaysAllowed.contains(call.name)
        case .readOnly: outside && !alwaysAllowed.contains(call.name)
        }
        guard needsAsk else { return .approved(outsideWorkspace: outside) }
        guard let approver else {
            return .denied("denied: \(call.name) needs the user's approval and there is no terminal to ask; "
                + "the user can allow it with --approval auto")
        }
        let answer = await approver.approve(ApprovalRequest(call: call, plan: plan, isMutating: tool.isMutating))
        if Task.isCancelled { return .denied(Self.abortedResult) }
        switch answer {
        case .yes: return .approved(outsideWorkspace: outside)
        case .always:
            alwaysAllowed.insert(call.name)
            return .approved(outsideWorkspace: outside)
        case .no: return .denied("denied: the user declined this \(call.name) call")
        }
    }
}
