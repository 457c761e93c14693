import Testing

@testable import AgentCLI

@Suite("Slash command parsing")
struct SlashCommandTests {
    @Test func namesAndArguments() {
        #expect(SlashCommand.parse("/help") == .help)
        #expect(SlashCommand.parse("  /model  qwen3 ") == .model("qwen3"))
        #expect(SlashCommand.parse("/model") == .model(nil))
        #expect(SlashCommand.parse("/save my title") == .save(title: "my title"))
        #expect(SlashCommand.parse("/session load 2026") == .sessionLoad("2026"))
        #expect(SlashCommand.parse("/session load") == .usage("usage: /session load <id or prefix>"))
        #expect(SlashCommand.parse("/compact") == .compact(focus: nil))
        #expect(SlashCommand.parse("/compact  the API decisions ") == .compact(focus: "the API decisions"))
        #expect(SlashCommand.names.contains("/compact"))
        #expect(SlashCommand.helpLines.contains { $0.0 == "/compact [focus]" })
        #expect(SlashCommand.builtInNames.contains("compact"))
    }

    @Test func notACommand() {
        #expect(SlashCommand.parse("hello /help") == nil)
        #expect(SlashCommand.parse("//comment") == nil)
    }

    @Test func mistypedCommandGetsASuggestion() {
        #expect(SlashCommand.parse("/hlep") == .unknown(name: "/hlep", suggestion: "/help"))
        #expect(SlashCommand.parse("/zzzzzzzzzz") == .unknown(name: "/zzzzzzzzzz", suggestion: nil))
    }
}
