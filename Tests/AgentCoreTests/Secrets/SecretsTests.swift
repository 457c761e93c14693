import AgentProtocol
import AgentTestSupport
import Foundation
import ModelClient
import Testing

@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct SecretsTests {
    @Test func namesByConfigurationAndByPattern() {
        let secrets = Secrets(names: ["MY_KEY_VAR"], knownValues: [], environment: [:])
        for name in ["OPENAI_API_KEY", "AGENT_API_KEY", "MY_KEY_VAR", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD",
                     "anthropic_api_key", "STRIPE_SECRET"] {
            #expect(secrets.isSecretVariable(name), "\(name)")
        }
        for name in ["PATH", "HOME", "TOKENIZERS_PARALLELISM", "KEYBOARD", "TERM"] {
            #expect(!secrets.isSecretVariable(name), "\(name)")
        }
    }

    @Test func valuesAreMaskedLongestFirstAndShortOnesIgnored() {
        let secrets = Secrets(
            names: [], knownValues: ["sk-abcdefgh", "sk-abcdefgh-longer"],
            environment: ["GITHUB_TOKEN": "ghp_0123456789", "SHORT_TOKEN": "abc", "PATH": "/usr/bin:/bin"])
        #expect(secrets.redact("a sk-abcdefgh-longer b sk-abcdefgh c ghp_0123456789 abc /usr/bin:/bin")
            == "a [redacted secret] b [redacted secret] c [redacted secret] abc /usr/bin:/bin")
        #expect(Secrets().redact("sk-abcdefgh") == "sk-abcdefgh")
    }

    @Test func runShellDoesNotInheritSecretVariables() async throws {
        let name = "AGENT_TEST_\(UInt32.random(in: 0...UInt32.max))_TOKEN"
        setenv(name, "value-that-must-not-leak", 1)
        defer { unsetenv(name) }
        let ws = try TemporaryWorkspace()
        var context = ws.context()
        context.secrets = Secrets(names: [], knownValues: [], environment: ProcessInfo.processInfo.environment)
        let output = try await RunShellTool().run(ToolArguments(["command": "env"]), context: context)
        #expect(output.contains("PATH="))
        #expect(!output.contains(name))
        #expect(!output.contains("value-that-must-not-leak"))
    }

    /// A tool that prints the key: what reaches the server, the recorder and the events is masked.
    @Test func aKeyInAToolResultNeverReachesTheModelOrTheJournal() async throws {
        let key = "sk-live-0123456789abcdef"
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "e", name: "echo", arguments: "{\"text\":\"\(key)\"}"), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        let h = try await LoopHarness.start(server, secrets: Secrets(names: [], knownValues: [key], environment: [:]))
        _ = await h.turn("show me the key \(key)")
        await h.stop()
        for request in server.chatRequests { #expect(!request.body.contains(key)) }
        #expect(!h.recorder.messages.contains { $0.content.contains(key) })
        #expect(server.chatRequests.last?.body.contains("[redacted secret]") == true)
    }

    /// A key in the user's message (an `@.env` attachment, say) reaches no request at all: not
    /// the chat, and not llama.cpp's `/tokenize`, which is asked to count the first long message.
    @Test func aKeyInTheInputReachesNoRequestNotEvenTheTokenCount() async throws {
        let key = "sk-live-0123456789abcdef"
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 4096)), script: [.sse(SSE.answer(["ok"]))])
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "smollm2", endpoint: server.endpoint, maxRetries: 0))
        let loop = AgentLoop(
            model: client, tools: [],
            options: .init(toolContext: ToolContext(
                workspace: FileManager.default.temporaryDirectory,
                secrets: Secrets(names: [], knownValues: [key], environment: [:]))),
            approver: nil, recorder: nil, messages: [.system("sys")])
        let input = "what is in @.env?\n\n<file path=\".env\">\n     1\tOPENAI_API_KEY=\(key)\n</file>\n"
            + String(repeating: "more words about the file ", count: 20)
        _ = await loop.runTurn(input, emit: { _ in })
        await client.shutdown()
        await server.stop()
        #expect(server.requests.contains { $0.path == "/tokenize" })
        for request in server.requests { #expect(!request.body.contains(key), "\(request.path) carried the key") }
        #expect(await !loop.messages.contains { $0.content.contains(key) })
    }
}
