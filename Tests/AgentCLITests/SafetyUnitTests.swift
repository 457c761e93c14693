import Testing

@testable import AgentCLI

@Suite("Front-end safety") struct SafetyUnitTests {
    @Test func subcommandsAreFoundAfterOptions() {
        func route(_ arguments: [String]) -> (String, [String]) {
            let (command, rest) = SubcommandRouter.route(arguments)
            return (command._commandName, rest)
        }
        #expect(route(["config"]) == ("config", []))
        #expect(route(["-m", "x", "config"]) == ("config", ["-m", "x"]))
        #expect(route(["--profile", "fast", "sessions", "show", "abc"]) == ("sessions", ["show", "abc", "--profile", "fast"]))
        // The value of an option is not a subcommand.
        #expect(route(["-m", "config", "hello"]) == ("agent", ["-m", "config", "hello"]))
        // With -p the words are a prompt; after -- too; a longer quoted prompt is one word.
        #expect(route(["-p", "config"]) == ("agent", ["-p", "config"]))
        #expect(route(["--", "config", "it"]) == ("agent", ["--", "config", "it"]))
        #expect(route(["-m", "x", "--", "config"]) == ("agent", ["-m", "x", "--", "config"]))
        #expect(route(["config the router"]) == ("agent", ["config the router"]))
        #expect(route(["hello"]) == ("agent", ["hello"]))
    }

    @Test func controlCharactersAreShownNotObeyed() {
        #expect(TerminalText.escapingControls("plain\ttext é") == "plain\ttext é")
        #expect(TerminalText.escapingControls("a\u{1B}[2Jb") == "a^[[2Jb")
        #expect(TerminalText.escapingControls("\u{07}\u{7F}\r") == "^G^?^M")
        #expect(TerminalText.escapingControls("x\u{9B}31m") == "x<U+009B>31m")
        #expect(!TerminalText.escapingControls("\u{1B}]0;title\u{07}").contains("\u{1B}"))
    }

    @Test func previewSaysHowManyLinesWereCut() {
        let text = (1...65).map { "line \($0)" }.joined(separator: "\n")
        let lines = ApprovalPreview.lines(text, style: Style(enabled: false))
        #expect(lines.count == 61)
        #expect(lines[59] == "  line 60")
        #expect(lines.last == "  … 5 more lines")
        #expect(ApprovalPreview.lines("one\n", style: Style(enabled: false)) == ["  one"])
        // A diff the tool already cut at 400 lines: the note counts everything left out.
        let capped = (1...400).map { "+\($0)" }.joined(separator: "\n") + "\n[… 600 more diff lines]\n"
        #expect(ApprovalPreview.lines(capped, style: Style(enabled: false)).last == "  … 940 more lines")
    }

    @Test func previewColoursADiff() {
        let style = Style(enabled: true)
        let lines = ApprovalPreview.lines("--- a\n+++ a\n@@ -1 +1 @@\n-old\n+new\n same\n\u{1B}[31mx", style: style)
        #expect(lines[2] == style.dim("  @@ -1 +1 @@"))
        #expect(lines[3] == style.red("  -old"))
        #expect(lines[4] == style.green("  +new"))
        #expect(lines[5] == "   same")
        #expect(lines[6] == "  ^[[31mx")
        // A command is not a diff, whatever its lines start with.
        #expect(ApprovalPreview.lines("$ echo\n-n x", style: style) == ["  $ echo", "  -n x"])
    }

    @Test func undoAndDiffCommands() {
        #expect(SlashCommand.parse("/undo") == .undo)
        #expect(SlashCommand.parse("/diff") == .diff)
        #expect(SlashCommand.nearest(to: "/undoo") == "/undo")
    }
}
