import AgentCore
import AgentProtocol

/// Asks the user at the terminal whether a tool call may run, showing the command or the diff.
struct TerminalApprover: Approver {
    let editor: LineEditor
    let style: Style
    let renderer: Renderer

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        let details = ApprovalPrompt.details(of: request.plan, style: style)
        if !details.isEmpty { renderer.note(details.joined(separator: "\n")) }
        while true {
            let input = await editor.readAnswer(prompt: ApprovalPrompt.question(for: request))
            Terminal.enterTurnMode()
            if let answer = ApprovalPrompt.answer(to: input) { return answer }
            renderer.note(style.dim(ApprovalPrompt.retryHint))
        }
    }
}
