import AgentCore
import AgentProtocol

/// Asks the user at the terminal whether a tool call may run, showing the command or the diff.
///
/// Everything shown that came from the model (paths, commands, diffs) has its control
/// characters escaped. Cancelling the turn (SIGTERM, SIGHUP) ends the prompt at once.
struct TerminalApprover: Approver {
    let editor: LineEditor
    let style: Style
    let renderer: Renderer

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        let details = ApprovalPrompt.details(of: request.plan, mayActOutside: request.mayActOutsideWorkspace,
                                             style: style)
        if !details.isEmpty { renderer.note(details.joined(separator: "\n")) }
        while true {
            let input = await withTaskCancellationHandler {
                await editor.readAnswer(prompt: ApprovalPrompt.question(for: request))
            } onCancel: {
                SignalHandling.interruptReader()
            }
            Terminal.enterTurnMode()
            if let answer = ApprovalPrompt.answer(to: input, allowsAlways: request.allowsAlways) { return answer }
            renderer.note(style.dim(ApprovalPrompt.retryHint(for: request)))
        }
    }
}
