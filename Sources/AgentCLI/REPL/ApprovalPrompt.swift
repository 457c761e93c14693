import AgentCore
import Foundation

/// What the approval prompt shows and how it reads the reply: pure, so every answer a person can
/// type is tested without a terminal (`TerminalApprover` does the asking).
enum ApprovalPrompt {
    static func question(for request: ApprovalRequest) -> String {
        "Allow \(request.call.name)? [y]es / [n]o / [a]lways this session: "
    }

    static let retryHint = "Please answer y, n or a."

    /// The reply as an answer, or nil when it is none (ask again). Ctrl-C, Ctrl-D and an empty
    /// line say no: nothing runs without a clear yes.
    static func answer(to input: LineInput) -> ApprovalAnswer? {
        switch input {
        case .interrupted, .endOfInput:
            return .no
        case .line(let reply):
            switch reply.trimmingCharacters(in: .whitespaces).lowercased() {
            case "y", "yes": return .yes
            case "n", "no", "": return .no
            case "a", "always": return .always
            default: return nil
            }
        }
    }

    /// The paths outside the workspace, then the command or diff (at most 60 lines), with
    /// additions green and removals red.
    static func details(of plan: ToolPlan, style: Style) -> [String] {
        var lines: [String] = []
        if !plan.outsidePaths.isEmpty {
            lines.append(style.yellow("  outside the workspace: " + plan.outsidePaths.joined(separator: ", ")))
        }
        guard let preview = plan.preview, !preview.isEmpty else { return lines }
        for line in preview.split(separator: "\n", omittingEmptySubsequences: false).prefix(maxPreviewLines) {
            let text = "  " + line
            if line.hasPrefix("+") && !line.hasPrefix("+++") {
                lines.append(style.green(text))
            } else if line.hasPrefix("-") && !line.hasPrefix("---") {
                lines.append(style.red(text))
            } else {
                lines.append(style.dim(text))
            }
        }
        return lines
    }

    static let maxPreviewLines = 60
}
