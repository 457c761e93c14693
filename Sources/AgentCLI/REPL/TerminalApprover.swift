import AgentCore
import AgentProtocol

/// Asks the user at the terminal whether a tool call may run, showing the command or the diff.
///
/// Everything shown that came from the model (paths, commands, diffs) has its control
/// characters escaped. A call outside the workspace offers only yes or no: "always" is never
/// remembered for it. Cancelling the turn (SIGTERM, SIGHUP) ends the prompt at once.
struct TerminalApprover: Approver {
    let editor: LineEditor
    let style: Style
    let renderer: Renderer

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        var lines: [String] = []
        if !request.plan.outsidePaths.isEmpty {
            let paths = request.plan.outsidePaths.map(TerminalText.escapingControls).joined(separator: ", ")
            lines.append(style.yellow("  outside the workspace: " + paths))
        }
        if let preview = request.plan.preview, !preview.isEmpty {
            lines += ApprovalPreview.lines(preview, style: style)
        }
        if !lines.isEmpty { renderer.note(lines.joined(separator: "\n")) }
        let choices = request.allowsAlways ? "[y]es / [n]o / [a]lways this session" : "[y]es / [n]o (asked every time)"
        while true {
            let input = await withTaskCancellationHandler {
                await editor.readAnswer(prompt: "Allow \(request.call.name)? \(choices): ")
            } onCancel: {
                SignalHandling.interruptReader()
            }
            Terminal.enterTurnMode()
            switch input {
            case .interrupted, .endOfInput:
                return .no
            case .line(let answer):
                switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
                case "y", "yes": return .yes
                case "n", "no", "": return .no
                case "a" where request.allowsAlways, "always" where request.allowsAlways: return .always
                default:
                    renderer.note(style.dim(request.allowsAlways ? "Please answer y, n or a." : "Please answer y or n."))
                }
            }
        }
    }
}
