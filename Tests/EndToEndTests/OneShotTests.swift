import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct OneShotTests {
    @Test func promptAsArgumentPrintsTheAnswer() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, server) = try await AgentBinary.run(
            ["-p", "Say hello"], home: home, script: [.sse(SSE.answer(["Hello", " there"]))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "Hello there\n")
        let sent = server.chatRequests.first?.messages.last?.objectValue?["content"]
        #expect(sent == "Say hello")
    }

    @Test func promptFromStdin() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["piped"]))])
        try await server.start()
        let viaFlag = try await AgentBinary.run(["-p"], home: home, environment: home.environment(endpoint: server.endpoint),
                                                stdin: "question from stdin\n")
        await server.stop()
        #expect(viaFlag.status == 0, "stderr: \(viaFlag.stderr)")
        #expect(viaFlag.stdout == "piped\n")
        #expect(server.chatRequests.first?.messages.last?.objectValue?["content"] == "question from stdin")

        let server2 = FakeModelServer(script: [.sse(SSE.answer(["no flag"]))])
        try await server2.start()
        let noFlag = try await AgentBinary.run([], home: home, environment: home.environment(endpoint: server2.endpoint),
                                               stdin: "piped prompt")
        await server2.stop()
        #expect(noFlag.status == 0, "stderr: \(noFlag.stderr)")
        #expect(noFlag.stdout == "no flag\n")
    }

    @Test func jsonOutputFormat() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, _) = try await AgentBinary.run(
            ["-p", "q", "--output-format", "json"], home: home, script: [.sse(SSE.answer(["forty", "-two"], usage: (12, 3)))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(JSONValue.parse(result.stdout)?.objectValue)
        #expect(object["answer"] == "forty-two")
        #expect(object["model"] == "test-model")
        #expect(object["interrupted"] == false)
        #expect(object["usage"] == ["prompt_tokens": 12, "completion_tokens": 3])
        #expect(object["session_id"]?.stringValue?.isEmpty == false)
        #expect(object["tool_calls"] == [])
    }

    @Test func streamJSONOutputFormat() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, _) = try await AgentBinary.run(
            ["-p", "q", "--output-format", "stream-json"], home: home, script: [.sse(SSE.answer(["a", "b"]))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0))?.objectValue }
        #expect(lines.compactMap { $0["type"]?.stringValue } == ["text", "text", "usage", "result"])
        #expect(lines.last?["answer"] == "ab")
    }

    @Test func linesThatAreNotChunksAreSkippedAndSaidOnce() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let stream: [StreamStep] = [
            .raw(SSE.content("kept ")), .raw("data: {not json\n\n"), .raw("data: <html>\n\n"), .raw(SSE.content("whole")),
            .raw(SSE.finish()), .raw(SSE.done),
        ]
        let (text, _) = try await AgentBinary.run(["-p", "q"], home: home, script: [.stream(stream)])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout == "kept whole\n")
        #expect(text.stderr.components(separatedBy: "2 lines of the server's stream were not a chat chunk").count == 2,
                "stderr: \(text.stderr)")

        let (json, _) = try await AgentBinary.run(["-p", "q", "--output-format", "stream-json"], home: home,
                                                  script: [.stream(stream)])
        let lines = json.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0))?.objectValue }
        #expect(lines.filter { $0["type"] == "skipped_lines" }.map { $0["count"] } == [2])
        #expect(lines.last?["answer"] == "kept whole")
    }

    /// An answer with more tool calls than one answer may make runs the first 64 and says so;
    /// the next request answers exactly those.
    @Test func anAnswerWithTooManyToolCallsRunsTheFirst64() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let calls = (0..<100).map { (i: Int) in SSE.toolCall(index: i, id: "c\(i)", name: "read_file", arguments: #"{"path":"none.txt"}"#) }
        let (result, server) = try await AgentBinary.run(["-p", "q", "--approval", "auto"], home: home, script: [
            .sse(calls + [SSE.finish("tool_calls"), SSE.done]), .sse(SSE.answer(["done"])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "done\n")
        #expect(result.stderr.contains("the model asked for 100 tool calls in one answer; only the first 64 run"),
                "stderr: \(result.stderr.suffix(400))")
        let second = try #require(server.chatRequests.last?.messages)
        #expect(second.filter { $0.objectValue?["role"] == "tool" }.count == 64)
        let asked = second.compactMap { message -> Int? in
            if case .array(let calls)? = message.objectValue?["tool_calls"] { calls.count } else { nil }
        }
        #expect(asked == [64])
    }

    @Test func retryNeverReachesStdoutInAPipe() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, _) = try await AgentBinary.run(["-p", "q", "-c", "retry.backoff_base=0.01"], home: home, script: [
            .stream([.raw(SSE.content("broken ")), .drop]),
            .sse(SSE.answer(["whole"])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "whole\n")
        #expect(result.stderr.contains("retrying"))
    }

    @Test func exitCodes() async throws {
        let home = try TestHome()
        defer { home.remove() }
        // 1: the server fails.
        let failing = FakeModelServer(script: [.status(400, body: #"{"error":{"message":"bad"}}"#)])
        try await failing.start()
        let failed = try await AgentBinary.run(["-p", "q"], home: home, environment: home.environment(endpoint: failing.endpoint))
        await failing.stop()
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("400"))
        #expect(failed.stdout.isEmpty)

        // 1: nothing listens.
        let unreachable = try await AgentBinary.run(["-p", "q"], home: home,
                                                    environment: home.environment(endpoint: "http://127.0.0.1:9"))
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("Cannot reach"))

        // 2: a bad flag, a bad config value.
        let badFlag = try await AgentBinary.run(["--no-such-flag"], home: home, environment: home.environment(endpoint: nil))
        #expect(badFlag.status == 2)
        try home.writeConfig("[retry]\nmax_retries = \"lots\"\n")
        let badConfig = try await AgentBinary.run(["-p", "q"], home: home, environment: home.environment(endpoint: nil))
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("retry.max_retries"))
        #expect(badConfig.stderr.split(separator: "\n").count == 1)
    }

    @Test func interruptedBySIGINTExits130AndKeepsThePartial() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("partial words")), .wait(gate)])])
        try await server.start()
        let pidBox = PIDBox()
        let run = Task {
            try await AgentBinary.run(["-p", "q", "--output-format", "json"], home: home,
                                      environment: home.environment(endpoint: server.endpoint),
                                      onStart: { pidBox.set($0) })
        }
        await server.chatRequestCounter.wait(atLeast: 1)
        // The chunk may still be in flight; the session journal shows when the agent has it.
        kill(pidBox.get(), SIGINT)
        let result = try await run.value
        gate.open()
        await server.stop()
        #expect(result.status == 130, "stderr: \(result.stderr)")
        let object = try #require(JSONValue.parse(result.stdout)?.objectValue)
        #expect(object["interrupted"] == true)
    }

    @Test func continueAfterAOneShotRunSendsTheEarlierMessages() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["first answer"])), .sse(SSE.answer(["second answer"]))])
        try await server.start()
        let env = home.environment(endpoint: server.endpoint)
        let first = try await AgentBinary.run(["-p", "remember 42"], home: home, environment: env)
        let second = try await AgentBinary.run(["-p", "--continue", "what number?"], home: home, environment: env)
        await server.stop()
        #expect(first.status == 0 && second.status == 0, "stderr: \(first.stderr) \(second.stderr)")
        let contents = server.chatRequests[1].messages.compactMap { $0.objectValue?["content"]?.stringValue }
        #expect(contents.contains("remember 42"))
        #expect(contents.contains("first answer"))
        #expect(contents.last == "what number?")
        #expect(home.sessionFiles().filter { $0.pathExtension == "jsonl" }.count == 1)
    }

    @Test func aShellCommandRunsAndItsOutputGoesBackToTheModel() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, server) = try await AgentBinary.run(["-p", "make a marker", "--approval", "auto"], home: home, script: [
            .sse([SSE.toolCall(index: 0, id: "s1", name: "run_shell",
                               arguments: #"{"command":"echo made > marker.txt; echo ran"}"#), SSE.finish("tool_calls"), SSE.done]),
            .sse(SSE.answer(["Done."])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "Done.\n")
        #expect(try String(contentsOf: home.workspace.appendingPathComponent("marker.txt"), encoding: .utf8) == "made\n")
        let toolResult = server.chatRequests.last?.messages.last?.objectValue
        #expect(toolResult?["role"] == "tool")
        #expect(toolResult?["content"]?.stringValue?.hasPrefix("ran\n[exit code 0]") == true, "\(String(describing: toolResult))")
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func noSaveWritesNoSession() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, _) = try await AgentBinary.run(
            ["-p", "q", "--no-save"], home: home, script: [.sse(SSE.answer(["x"]))])
        #expect(result.status == 0)
        #expect(home.sessionFiles().isEmpty)
    }
}

import Synchronization
final class PIDBox: Sendable {
    private let pid = Mutex<Int32>(0)
    func set(_ value: Int32) { pid.withLock { $0 = value } }
    func get() -> Int32 { pid.withLock { $0 } }
}
