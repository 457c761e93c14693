import AgentCore
import AgentProtocol
import Testing

@testable import AgentCLI

@Suite("Approval prompt")
struct ApprovalPromptTests {
    @Test func everyAnswerAPersonCanType() {
        let replies: [(String, ApprovalAnswer?)] = [
            ("y", .yes), ("yes", .yes), ("Y", .yes), (" YES ", .yes),
            ("n", .no), ("no", .no), ("No", .no), ("", .no), ("   ", .no),
            ("a", .always), ("always", .always), ("ALWAYS", .always),
            ("maybe", nil), ("yy", nil), ("ok", nil), ("y es", nil),
        ]
        for (reply, expected) in replies {
            #expect(ApprovalPrompt.answer(to: .line(reply)) == expected, "reply \"\(reply)\"")
        }
    }

    @Test func ctrlCAndCtrlDSayNo() {
        #expect(ApprovalPrompt.answer(to: .interrupted) == .no)
        #expect(ApprovalPrompt.answer(to: .endOfInput) == .no)
    }

    @Test func questionNamesTheTool() {
        let request = ApprovalRequest(call: ToolCall(id: "c1", name: "run_shell", arguments: "{}"),
                                      plan: ToolPlan(summary: "run_shell ls"), isMutating: true)
        #expect(ApprovalPrompt.question(for: request) == "Allow run_shell? [y]es / [n]o / [a]lways this session: ")
    }

    @Test func detailsShowOutsidePathsThenTheDiffColoured() {
        let plan = ToolPlan(summary: "edit_file a.txt", preview: "--- a.txt\n+++ a.txt\n-old\n+new\n same",
                            outsidePaths: ["/etc/hosts"])
        let plain = ApprovalPrompt.details(of: plan, style: Style(enabled: false))
        #expect(plain == ["  outside the workspace: /etc/hosts", "  --- a.txt", "  +++ a.txt", "  -old", "  +new", "   same"])
        let coloured = ApprovalPrompt.details(of: plan, style: Style(enabled: true))
        #expect(coloured[3] == "\u{1B}[31m  -old\u{1B}[0m")
        #expect(coloured[4] == "\u{1B}[32m  +new\u{1B}[0m")
        #expect(coloured[1] == "\u{1B}[1m  --- a.txt\u{1B}[0m")
    }

    @Test func longPreviewsAreCut() {
        let preview = (1...100).map { "+line \($0)" }.joined(separator: "\n")
        let lines = ApprovalPrompt.details(of: ToolPlan(summary: "write_file x", preview: preview), style: Style(enabled: false))
        #expect(lines.count == ApprovalPreview.maxLines + 1)
        #expect(lines[ApprovalPreview.maxLines - 1] == "  +line 60")
        #expect(lines.last == "  … 40 more lines")
    }

    @Test func outsideTheWorkspaceOnlyYesOrNo() {
        let request = ApprovalRequest(call: ToolCall(id: "c1", name: "write_file", arguments: "{}"),
                                      plan: ToolPlan(summary: "write_file /tmp/x", outsidePaths: ["/tmp/x"]),
                                      isMutating: true, allowsAlways: false)
        #expect(ApprovalPrompt.question(for: request) == "Allow write_file? [y]es / [n]o (asked every time): ")
        #expect(ApprovalPrompt.answer(to: .line("a"), allowsAlways: false) == nil)
        #expect(ApprovalPrompt.answer(to: .line("y"), allowsAlways: false) == .yes)
    }

    @Test func aToolThatMayActOutsideSaysSo() {
        let plan = ToolPlan(summary: "fx__post {}", preview: "{\"to\":\"all\"}")
        #expect(ApprovalPrompt.details(of: plan, mayActOutside: true, style: Style(enabled: false)) == [
            "  may act outside the workspace: its MCP server does not declare it local", "  {\"to\":\"all\"}",
        ])
    }

    @Test func nothingToShowIsNoLines() {
        #expect(ApprovalPrompt.details(of: ToolPlan(summary: "list_dir ."), style: Style(enabled: false)).isEmpty)
    }
}
