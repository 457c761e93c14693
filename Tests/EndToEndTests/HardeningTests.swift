import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// Hostile input through the built binary: each was a crash, a leak or a silent failure.
@Suite(.timeLimit(.minutes(2))) struct HardeningTests {
    static func call(_ name: String, _ arguments: JSONValue) -> FakeReply {
        .sse([SSE.toolCall(index: 0, id: "c1", name: name, arguments: arguments.jsonText), SSE.finish("tool_calls"), SSE.done])
    }

    @Test func autoInOneShotCannotReadEtcPasswd() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, server) = try await AgentBinary.run(["-p", "read it", "--approval", "auto"], home: home, script: [
            Self.call("read_file", ["path": "/etc/passwd"]), .sse(SSE.answer(["could not"])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let bodies = server.chatRequests.map(\.body).joined()
        #expect(!bodies.contains("root:x:0:0"))
        #expect(bodies.contains("denied: read_file needs the user's approval"))
    }

    /// An `@` mention goes through the same scopes as `read_file`: under `-p --approval auto`
    /// a file outside the workspace (named, or through a link inside it) is not read, and
    /// nothing is sent.
    @Test(arguments: ["@/etc/passwd", "@passwd-link"]) func autoInOneShotCannotAttachEtcPasswd(_ mention: String) async throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: home.workspace.appendingPathComponent("passwd-link").path, withDestinationPath: "/etc/passwd")
        let (result, server) = try await AgentBinary.run(["-p", "what is in \(mention)?", "--approval", "auto"],
                                                         home: home, script: [.sse(SSE.answer(["never"]))])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("agent: cannot attach \(mention): outside the workspace"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("; nothing was sent\n"))
        #expect(server.chatRequests.isEmpty)
        #expect(!result.stdout.contains("root:") && !result.stderr.contains("root:"))
    }

    @Test func theAPIKeyNeverLeavesThroughRunShell() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let key = "sk-e2e-\(UUID().uuidString)"
        let server = FakeModelServer(script: [
            Self.call("run_shell", ["command": "env; echo done"]), .sse(SSE.answer(["listed"])),
        ])
        try await server.start()
        let result = try await AgentBinary.run(
            ["-p", "show the environment", "--approval", "auto"], home: home,
            environment: home.environment(endpoint: server.endpoint, extra: ["OPENAI_API_KEY": key, "GITHUB_TOKEN": key + "-gh"]))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let toolResult = server.chatRequests.last?.messages.last?.objectValue?["content"]?.stringValue ?? ""
        #expect(toolResult.contains("PATH="))
        #expect(!toolResult.contains("OPENAI_API_KEY") && !toolResult.contains("GITHUB_TOKEN"))
        for request in server.chatRequests { #expect(!request.body.contains(key)) }
        #expect(!result.stdout.contains(key) && !result.stderr.contains(key))
        // Nothing under the state, config or home folders (sessions, checkpoints, history).
        let enumerator = FileManager.default.enumerator(atPath: home.root.path)
        while let relative = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: home.root.appendingPathComponent(relative).path) else { continue }
            #expect(data.range(of: Data(key.utf8)) == nil, "\(relative) holds the key")
        }
    }

    @Test func theKeyIsRefusedOverPlainHTTPToAnotherHost() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try await AgentBinary.run(
            ["-p", "hi", "--endpoint", "http://192.0.2.1:11434"], home: home,
            environment: home.environment(endpoint: nil, extra: ["OPENAI_API_KEY": "sk-not-for-the-network"]))
        #expect(result.status == 2)
        #expect(result.stderr.contains("refusing to send the API key from OPENAI_API_KEY over plain http"))
    }

    @Test(arguments: [
        ["-c", "tools.shell_timeout=1e17"], ["-c", "retry.backoff_max=1e308"], ["-c", "retry.stream_idle_timeout=9e18"],
        ["--timeout", "1e17"], ["--timeout", "nan"], ["--endpoint", "http://127.0.0.1:65536"],
        ["--endpoint", "http://127.0.0.1:99999999999999999999"],
    ])
    func hostileValuesExitTwoNotCrash(_ flags: [String]) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let result = try await AgentBinary.run(["-p", "hi"] + flags, home: home, environment: home.environment(endpoint: nil))
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aFullStdoutEndsTheRunWithStatusOne() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["an answer nobody can store"]))])
        try await server.start()
        let (status, stderr) = try await Self.runWithFullStdout(["-p", "hi"], home: home,
                                                               environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        #expect(status == 1)
        #expect(stderr == "agent: cannot write to standard output: No space left on device\n")
    }

    /// Every command that writes to stdout says so when it cannot, and fails.
    @Test(arguments: [["--version"], ["--help"], ["config"]])
    func aFullStdoutFailsEveryCommand(_ arguments: [String]) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (status, stderr) = try await Self.runWithFullStdout(arguments, home: home,
                                                               environment: home.environment(endpoint: nil))
        #expect(status == 1)
        #expect(stderr == "agent: cannot write to standard output: No space left on device\n")
    }

    @Test func aSubcommandAfterOptionsRunsTheSubcommand() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let config = try await AgentBinary.run(["-m", "chosen-model", "config"], home: home,
                                               environment: home.environment(endpoint: nil))
        #expect(config.status == 0, "stderr: \(config.stderr)")
        #expect(config.stdout.contains("model = \"chosen-model\""))
        // With -p the word is the prompt.
        let (prompt, server) = try await AgentBinary.run(["-p", "config"], home: home, script: [.sse(SSE.answer(["ok"]))])
        #expect(prompt.status == 0)
        #expect(server.chatRequests.first?.messages.last?.objectValue?["content"] == "config")
    }

    @Test func sessionsShowLeavesAnUnreadableFileWhereItIs() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.sessionsDir, withIntermediateDirectories: true)
        let file = home.sessionsDir.appendingPathComponent("20200101-000000-abcdef.jsonl")
        try "garbage\n".write(to: file, atomically: true, encoding: .utf8)
        let show = try await AgentBinary.run(["sessions", "show", "20200101-000000-abcdef"], home: home,
                                             environment: home.environment(endpoint: nil))
        #expect(show.status == 1)
        #expect(show.stderr.contains("left it as it is"))
        #expect(home.sessionFiles().map(\.lastPathComponent) == ["20200101-000000-abcdef.jsonl"])
        let delete = try await AgentBinary.run(["sessions", "delete", "20200101-000000-abcdef"], home: home,
                                               environment: home.environment(endpoint: nil))
        #expect(delete.status == 0, "stderr: \(delete.stderr)")
        #expect(home.sessionFiles().isEmpty)
    }

    /// Lines a session file holds that cannot be read are skipped, and said so, by `sessions
    /// show` (which leaves the file as it is) and by `--continue` (which goes on from the rest).
    @Test func damagedLinesAreReportedNotSilentlySkipped() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (first, _) = try await AgentBinary.run(["-p", "hello"], home: home, script: [.sse(SSE.answer(["hi there"]))])
        #expect(first.status == 0)
        let file = try #require(home.sessionFiles().first)
        let id = String(file.lastPathComponent.dropLast(".jsonl".count))
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert("{\"this is\": not a journal line", at: 2)
        let damaged = lines.joined(separator: "\n")
        try damaged.write(to: file, atomically: true, encoding: .utf8)

        let show = try await AgentBinary.run(["sessions", "show", id], home: home, environment: home.environment(endpoint: nil))
        #expect(show.status == 0, "stderr: \(show.stderr)")
        #expect((show.stdout + show.stderr).contains("skipped 1 unreadable line(s) in the session file"))
        #expect(try String(contentsOf: file, encoding: .utf8) == damaged)

        let (resumed, server) = try await AgentBinary.run(["-p", "--continue", "and now?"], home: home,
                                                          script: [.sse(SSE.answer(["still here"]))])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        #expect(resumed.stderr.contains("skipped 1 unreadable line(s) in the session file"))
        #expect(server.chatRequests.first?.body.contains("hi there") == true)
    }

    @Test func resumeRefusesASymlinkedJournal() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (first, _) = try await AgentBinary.run(["-p", "hello"], home: home, script: [.sse(SSE.answer(["hi"]))])
        #expect(first.status == 0)
        let real = try #require(home.sessionFiles().first)
        let link = home.sessionsDir.appendingPathComponent("20200101-000000-aaaaaa.jsonl")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let before = try Data(contentsOf: real)
        let (result, server) = try await AgentBinary.run(["-p", "--resume", "20200101-000000-aaaaaa", "more"], home: home,
                                                          script: [.sse(SSE.answer(["never"]))])
        #expect(result.status == 2, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("symbolic link"))
        #expect(server.chatRequests.isEmpty)
        #expect(try Data(contentsOf: real) == before)
    }

    /// A pasted prompt of 12 MB, full of `@name`s and unclosed backticks, is refused as too large
    /// for the window without a request. Before, Foundation's trimming converted it to UTF-16 and
    /// back, the mention scan copied the rest of the text at every backtick run, and every
    /// `@name` was looked up again: a 120 MB paste like it took minutes.
    @Test func aHugePastedPromptIsRefusedWithoutARequest() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let line = "see @alice and `this, @bob wrote ``that and @carol's notes\n"
        let paste = String(repeating: line, count: 12_000_000 / line.utf8.count)
        let server = FakeModelServer(script: [])
        try await server.start()
        let result = try await AgentBinary.run(["-p"], home: home, environment: home.environment(endpoint: server.endpoint),
                                               stdin: "  \n" + paste)
        await server.stop()
        #expect(result.status == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("nothing was sent"), "stderr: \(result.stderr)")
        #expect(server.chatRequests.isEmpty)
    }

    @Test func aRunawaySearchGivesUpWithinThirtySeconds() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try (String(repeating: "a", count: 40_000) + "b\n")
            .write(to: home.workspace.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let (result, server) = try await AgentBinary.run(["-p", "search", "--approval", "auto"], home: home, script: [
            Self.call("search_files", ["pattern": "(a|aa)+$"]), .sse(SSE.answer(["gave up"])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(30))
        let toolResult = server.chatRequests.last?.messages.last?.objectValue?["content"]?.stringValue ?? ""
        #expect(toolResult.contains("search_files stopped after 10 s"))
    }

    /// Runs agent with its stdout on /dev/full (every write fails with ENOSPC).
    static func runWithFullStdout(_ arguments: [String], home: TestHome, environment: [String: String]) async throws
        -> (status: Int32, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AgentBinary.path())
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = home.workspace
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let err = Pipe()
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stderr = await blocking { err.fileHandleForReading.readDataToEndOfFile() }
        await blocking { process.waitUntilExit() }
        return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
    }
}
