import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// End-to-end tests against a real llama.cpp server with SmolLM2, which scripts/test starts
/// (scripts/local-model) and names in AGENT_REAL_MODEL_ENDPOINT. They skip, saying why, only
/// when the model could not be installed because PyPI is out of reach.
enum RealModel {
    static let environment = ProcessInfo.processInfo.environment
    static var endpoint: String? { environment["AGENT_REAL_MODEL_ENDPOINT"] }
    static var unavailable: String? { environment["AGENT_REAL_MODEL_UNAVAILABLE"] }
    static var enabled: Bool { unavailable == nil && endpoint != nil }
    static let skipReason: Comment =
        "real-model tests skipped: \(unavailable ?? "AGENT_REAL_MODEL_ENDPOINT is not set (run scripts/test, which starts the local model)")"

    static func url() throws -> String {
        let value = try #require(endpoint)
        if value.hasPrefix("unavailable") { Issue.record("the local model server did not start: \(value)") }
        return value
    }

    /// The same model served with a 4,096-token window (`scripts/local-model start --ctx 4096`).
    static var smallWindowEndpoint: String? { environment["AGENT_REAL_MODEL_SMALL_ENDPOINT"] }
    static var smallWindowEnabled: Bool { unavailable == nil && smallWindowEndpoint != nil }
}

@Suite(.serialized, .enabled(if: RealModel.enabled, RealModel.skipReason), .timeLimit(.minutes(5)))
struct RealModelTests {
    static let prompt = "smollm2> "
    let wait: Duration = .seconds(120)

    func environment(_ home: TestHome) throws -> [String: String] {
        home.environment(endpoint: try RealModel.url(), model: "smollm2")
    }

    func launch(_ home: TestHome, _ arguments: [String] = []) throws -> PTYProcess {
        try PTYProcess(executable: try AgentBinary.path(), arguments: arguments, environment: try environment(home),
                       workingDirectory: home.workspace.path, columns: 120, rows: 40)
    }

    func journal(_ home: TestHome) throws -> [JSONValue] {
        let file = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        let text = try String(contentsOf: file, encoding: .utf8)
        return text.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
    }

    /// Waits until the answer to the line just typed has begun: three words, or, since a 135M
    /// model sometimes answers with digits and dashes (seen in CI), any 12 letters, digits, "_"
    /// or "-" in a row, which the spinner ("⠙ thinking…") never shows.
    func waitForAnswer(_ agent: PTYProcess, typed: String) async throws {
        try await agent.waitFor(typed, timeout: wait)
        let mark = agent.mark()
        try await agent.waitFor(
            regex: #"[A-Za-z']+[ ,.]+[A-Za-z']+[ ,.]+[A-Za-z']+|[0-9A-Za-z_-]{12}"#, after: mark, timeout: wait)
    }

    @Test func oneShotAnswerIsNotEmpty() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try await AgentBinary.run(["-p", "Say hello", "--max-tokens", "40"], home: home,
                                               environment: try environment(home))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func replConversationOfTwoTurns() async throws {
        let home = try TestHome()
        defer { home.remove() }
        // A short answer may be a single word ("Capital: Paris" was seen), so the turn is judged by
        // what closes it (the usage line, then the prompt) and by what the journal holds.
        let agent = try launch(home, ["--max-tokens", "30", "--temperature", "0"])
        try await agent.waitFor(Self.prompt, timeout: wait)
        for question in ["What is the capital of France?", "And of Italy?"] {
            let mark = agent.mark()
            agent.sendLine(question)
            try await agent.waitFor(question, after: mark, timeout: wait)
            try await agent.waitFor(regex: #"\d+ in · \d+ out"#, after: mark, timeout: wait)
            try await agent.waitFor(Self.prompt, after: mark, timeout: wait)
        }
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        let messages = try journal(home).compactMap { $0.objectValue?["m"]?.objectValue
            ?? $0.objectValue?["message"]?.objectValue }
        let roles = messages.compactMap { $0["role"]?.stringValue }
        #expect(roles.filter { $0 == "user" }.count == 2, "journal roles: \(roles)")
        let answers = messages.filter { $0["role"]?.stringValue == "assistant" }
        #expect(answers.count == 2, "journal roles: \(roles)")
        for answer in answers {
            let text = answer["content"]?.stringValue ?? ""
            #expect(text.contains { $0.isLetter || $0.isNumber }, "empty answer in the journal: \(answer)")
        }
    }

    @Test func saveThenResumeContinuesTheSameSession() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let first = try launch(home, ["--max-tokens", "20"])
        try await first.waitFor(Self.prompt, timeout: wait)
        var mark = first.mark()
        first.sendLine("My name is Ada.")
        try await first.waitFor(regex: #"\d+ in · \d+ out"#, after: mark, timeout: wait)
        try await first.waitFor(Self.prompt, after: mark, timeout: wait)
        mark = first.mark()
        first.sendLine("/save greetings")
        let saved = try await first.waitFor(regex: #"Saved session [0-9a-f-]+"#, after: mark, timeout: wait)
        let id = String(saved.split(separator: " ").last ?? "")
        first.sendControl("d")
        _ = try await first.waitForExit()

        let second = try launch(home, ["--resume", id, "--max-tokens", "20"])
        try await second.waitFor("Resumed session \(id)", timeout: wait)
        try await second.waitFor("My name is Ada.", timeout: wait)
        try await second.waitFor(Self.prompt, timeout: wait)
        mark = second.mark()
        second.sendLine("What is my name?")
        try await second.waitFor(regex: #"\d+ in · \d+ out"#, after: mark, timeout: wait)
        second.sendControl("d")
        _ = try await second.waitForExit()
        #expect(home.sessionFiles().filter { $0.pathExtension == "jsonl" }.count == 1)
        let text = try String(contentsOf: try #require(home.sessionFiles().first), encoding: .utf8)
        #expect(text.contains("My name is Ada."))
        #expect(text.contains("What is my name?"))
        #expect(text.contains("greetings"))
    }

    @Test func sigtermMidAnswerSavesThePartialText() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let agent = try launch(home, ["--max-tokens", "400", "--temperature", "0"])
        try await agent.waitFor(Self.prompt, timeout: wait)
        let question = "Write a long story about a dragon and a knight."
        agent.sendLine(question)
        try await waitForAnswer(agent, typed: question)
        agent.signal(SIGTERM)
        #expect(try await agent.waitForExit() == 143)
        let lines = try journal(home)
        let text = lines.map(\.jsonText).joined(separator: "\n")
        #expect(text.contains("\"interrupted\":true"), "journal: \(text.prefix(2000))")
    }

    @Test func ctrlCMidAnswerReturnsToThePrompt() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let agent = try launch(home, ["--max-tokens", "400", "--temperature", "0"])
        try await agent.waitFor(Self.prompt, timeout: wait)
        let question = "Tell me a long story about the sea."
        agent.sendLine(question)
        try await waitForAnswer(agent, typed: question)
        let mark = agent.mark()
        agent.sendControl("c")
        try await agent.waitFor("interrupted", after: mark, timeout: wait)
        try await agent.waitFor(Self.prompt, after: mark, timeout: wait)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
    }
}

/// Issue #11 on the real model: SmolLM2 behind llama.cpp with a 4,096-token window.
@Suite(.serialized, .enabled(if: RealModel.smallWindowEnabled, RealModel.skipReason), .timeLimit(.minutes(8)))
struct RealModelWindowTests {
    /// About 1,500 of SmolLM2's tokens of plain prose (1,081 tokens for 40 of these sentences).
    static func turnText(_ n: Int) -> String {
        let sentence = "The old lighthouse keeper walked along the rocky shore every evening, counting the ships "
            + "that passed and writing their names in a worn leather notebook. "
        return "Part \(n). " + String(repeating: sentence, count: 55) + "Summarise part \(n) in one sentence."
    }

    @Test func fourLongTurnsAllFitTheWindow() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let url = try #require(RealModel.smallWindowEndpoint)
        let env = home.environment(endpoint: url, model: "smollm2")
        for n in 1...4 {
            // The wording of a 135M model's answer is its own; what is checked is what agent did.
            let arguments = ["-p", "--max-tokens", "40", "--output-format", "stream-json"] + (n > 1 ? ["--continue"] : [])
            let result = try await AgentBinary.run(arguments, home: home, environment: env, stdin: Self.turnText(n))
            #expect(result.status == 0, "turn \(n): \(result.stderr)")
            #expect(!result.stdout.contains("exceeds the available context size"), "turn \(n)")
            let events = result.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0))?.objectValue }
            let usage = try #require(events.first { $0["type"] == "usage" }, "turn \(n): no usage in \(result.stdout.suffix(500))")
            #expect(usage["context_window"] == 4096, "turn \(n)")
            if case .number(let prompt)? = usage["prompt_tokens"] {
                #expect(prompt > 1000 && prompt <= 4096 - 40, "turn \(n): prompt of \(prompt) tokens")
            }
            let answer = events.last { $0["type"] == "result" }?["answer"]?.stringValue ?? ""
            #expect(answer.contains { $0.isLetter }, "turn \(n): empty answer")
        }
    }
}
