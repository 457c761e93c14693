import AgentCore
import Foundation

/// What the approval prompt shows and how it reads the reply: pure, so every answer a person can
/// type is tested without a terminal (`TerminalApprover` does the asking).
///
/// A call outside the workspace offers only yes or no: "always" is never remembered for it.
enum ApprovalPrompt {
    static func question(for request: ApprovalRequest) -> String {
        let choices = request.allowsAlways ? "[y]es / [n]o / [a]lways this session" : "[y]es / [n]o (asked every time)"
        return "Allow \(request.call.name)? \(choices): "
    }

    static func retryHint(for request: ApprovalRequest) -> String {
        request.allowsAlways ? "Please answer y, n or a." : "Please answer y or n."
    }

    /// The reply as an answer, or nil when it is none (ask again). Ctrl-C, Ctrl-D and an empty
    /// line say no: nothing runs without a clear yes. "always" counts only where it is offered.
    static func answer(to input: LineInput, allowsAlways: Bool = true) -> ApprovalAnswer? {
        switch input {
        case .interrupted, .endOfInput:
            return .no
        case .line(let reply):
            switch reply.trimmingCharacters(in: .whitespaces).lowercased() {
            case "y", "yes": return .yes
            case "n", "no", "": return .no
            case "a", "always": return allowsAlways ? .always : nil
            default: return nil
            }
        }
    }

    /// The paths outside the workspace (or that the tool may act outside it), then the command
    /// or diff (`ApprovalPreview`: control characters escaped, at most 60 lines and a count of
    /// the rest, a diff coloured).
    static func details(of plan: ToolPlan, mayActOutside: Bool = false, style: Style) -> [String] {
        var lines: [String] = []
        if !plan.outsidePaths.isEmpty {
            let paths = plan.outsidePaths.map(TerminalText.escapingControls).joined(separator: ", ")
            lines.append(style.yellow("  outside the workspace: " + paths))
        }
        if mayActOutside {
            lines.append(style.yellow("  may act outside the workspace: its MCP server does not declare it local"))
        }
        if let preview = plan.preview, !preview.isEmpty {
            lines += ApprovalPreview.lines(preview, style: style)
        }
        return lines
    }
}
