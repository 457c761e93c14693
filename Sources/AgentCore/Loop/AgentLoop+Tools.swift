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
            let (raw, isError) = await runOne(call, emit: emit)
            // Masked before anyone sees it: the screen, the model, the journal.
            let output = options.toolContext.secrets.redact(raw)
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
        if tool.isMutating, let tracker = options.changeTracker {
            await tracker.willChange(call, plan: plan)
            if Task.isCancelled { return (Self.abortedResult, true) }
        }
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
        let verdict = ApprovalPolicy.verdict(
            mode: options.approval, tool: call.name, isMutating: tool.isMutating, outside: outside,
            alwaysAllowed: alwaysAllowed, mayActOutside: tool.mayActOutsideWorkspace)
        let allowsAlways: Bool
        switch verdict {
        case .run: return .approved(outsideWorkspace: outside)
        case .deny(let reason): return .denied(reason)
        case .ask(let always): allowsAlways = always
        }
        guard let approver else {
            let remedy = if outside {
                "paths outside the workspace always need the user's consent"
            } else if tool.mayActOutsideWorkspace {
                "it may act outside the workspace (its MCP server does not declare it openWorldHint: false), "
                    + "so only --approval full runs it without asking"
            } else {
                "the user can allow it with --approval auto"
            }
            return .denied("denied: \(call.name) needs the user's approval and there is no terminal to ask; \(remedy)")
        }
        let request = ApprovalRequest(call: call, plan: plan, isMutating: tool.isMutating, allowsAlways: allowsAlways,
                                      mayActOutsideWorkspace: tool.mayActOutsideWorkspace)
        let answer = await approver.approve(request)
        if Task.isCancelled { return .denied(Self.abortedResult) }
        switch answer {
        case .yes: return .approved(outsideWorkspace: outside)
        case .always:
            // Remembered only for calls inside the workspace; an outside call is a one-time yes.
            if allowsAlways { alwaysAllowed.insert(call.name) }
            return .approved(outsideWorkspace: outside)
        case .no: return .denied("denied: the user declined this \(call.name) call")
        }
    }
}
