import AgentCore
import AgentProtocol

/// Asks the user at the terminal whether a tool call may run, showing the command or the diff.
struct TerminalApprover: Approver {
    let editor: LineEditor
    let style: Style
    let renderer: Renderer

    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer {
        var lines: [String] = []
        if !request.plan.outsidePaths.isEmpty {
            lines.append(style.yellow("  outside the workspace: " + request.plan.outsidePaths.joined(separator: ", ")))
        }
        if let preview = request.plan.preview, !preview.isEmpty {
            for line in preview.split(separator: "\n", omittingEmptySubsequences: false).prefix(60) {
                let text = "  " + line
                if line.hasPrefix("+") && !line.hasPrefix("+++") {
                    lines.append(style.green(text))
                } else if line.hasPrefix("-") && !line.hasPrefix("---") {
                    lines.append(style.red(text))
                } else {
                    lines.append(style.dim(text))
                }
            }
        }
        if !lines.isEmpty { renderer.note(lines.joined(separator: "\n")) }
        while true {
            let prompt = "Allow \(request.call.name)? [y]es / [n]o / [a]lways this session: "
            let input = await editor.readAnswer(prompt: prompt)
            Terminal.enterTurnMode()
            switch input {
            case .interrupted, .endOfInput:
                return .no
            case .line(let answer):
                switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
                case "y", "yes": return .yes
                case "n", "no", "": return .no
                case "a", "always": return .always
                default: renderer.note(style.dim("Please answer y, n or a."))
                }
            }
        }
    }
}
