import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// AGENTS.md, custom commands and `@` mentions, through the built binary and a fake server.
@Suite(.timeLimit(.minutes(2))) struct ProjectContextTests {
    func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func contents(_ request: RecordedRequest?, role: String) -> [String] {
        (request?.messages ?? []).compactMap { message in
            message.objectValue?["role"]?.stringValue == role ? message.objectValue?["content"]?.stringValue : nil
        }
    }

    @Test func agentsFilesFromRootToTheWorkingFolderReachTheSystemPrompt() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let repo = home.workspace
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try write("ROOT-RULE: use tabs\n", to: repo.appendingPathComponent("AGENTS.md"))
        try write("SUB-RULE: no globals\n", to: repo.appendingPathComponent("app/AGENTS.md"))
        try write("GLOBAL-RULE: be brief\n", to: home.config.appendingPathComponent("agent/AGENTS.md"))
        let deeper = repo.appendingPathComponent("app/src/deep")
        try FileManager.default.createDirectory(at: deeper, withIntermediateDirectories: true)

        let server = FakeModelServer(script: [.sse(SSE.answer(["ok"]))])
        try await server.start()
        let result = try await AgentBinary.run(["-p", "hello"], home: home,
                                               environment: home.environment(endpoint: server.endpoint), directory: deeper)
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let system = contents(server.chatRequests.first, role: "system")
        #expect(system.count == 1)
        let prompt = try #require(system.first)
        let order = ["GLOBAL-RULE", "ROOT-RULE", "SUB-RULE"].compactMap { prompt.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted(), "\(prompt)")
        #expect(prompt.contains("## \(repo.path)/app/AGENTS.md"))
        #expect(contents(server.chatRequests.first, role: "user") == ["hello"])

        // Outside a repository: the folder's own file and the global one, not the parent's.
        let plain = home.root.appendingPathComponent("plain/inner")
        try write("PARENT-RULE\n", to: home.root.appendingPathComponent("plain/AGENTS.md"))
        try write("OWN-RULE\n", to: plain.appendingPathComponent("AGENTS.md"))
        let server2 = FakeModelServer(script: [.sse(SSE.answer(["ok"]))])
        try await server2.start()
        let second = try await AgentBinary.run(["-p", "hello"], home: home,
                                               environment: home.environment(endpoint: server2.endpoint), directory: plain)
        await server2.stop()
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let outside = try #require(contents(server2.chatRequests.first, role: "system").first)
        #expect(outside.contains("OWN-RULE") && outside.contains("GLOBAL-RULE"))
        #expect(!outside.contains("PARENT-RULE"))
    }

    @Test func aCustomCommandIsTheWholePromptOfPrintMode() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try write("---\ndescription: Review a file\n---\nReview $ARGUMENTS and list the bugs.\n",
                  to: home.workspace.appendingPathComponent(".agent/commands/review.md"))
        let (result, server) = try await AgentBinary.run(["-p", "/review main.swift"], home: home,
                                                         script: [.sse(SSE.answer(["fine"]))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(contents(server.chatRequests.first, role: "user") == ["Review main.swift and list the bugs."])

        let unknown = try await AgentBinary.run(["-p", "/reveiw x"], home: home, environment: home.environment(endpoint: nil))
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "agent: unknown command /reveiw; custom commands: /review\n")
    }

    @Test func aMentionedFileIsSentAndAMissingOneStopsThePrompt() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try write("the secret word is pineapple\n", to: home.workspace.appendingPathComponent("notes.txt"))
        let (result, server) = try await AgentBinary.run(["-p", "what does @notes.txt say?"], home: home,
                                                         script: [.sse(SSE.answer(["pineapple"]))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let sent = try #require(contents(server.chatRequests.first, role: "user").first)
        #expect(sent.hasPrefix("what does @notes.txt say?\n\n<file path=\"notes.txt\">"))
        #expect(sent.contains("the secret word is pineapple"))

        let (missing, silent) = try await AgentBinary.run(["-p", "read @nope.txt"], home: home, script: [])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("agent: cannot attach @nope.txt: no such file or folder; nothing was sent"))
        #expect(silent.chatRequests.isEmpty)

        let outsideFile = home.root.appendingPathComponent("outside.txt")
        try write("far away\n", to: outsideFile)
        let (refused, quiet) = try await AgentBinary.run(["-p", "read @\(outsideFile.path)"], home: home, script: [])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("outside the workspace, and read_file needs the user's approval"))
        #expect(quiet.chatRequests.isEmpty)
    }
}

/// The REPL side: Tab completion, a custom command, /help and /context, through a terminal.
@Suite(.timeLimit(.minutes(2))) struct ProjectContextREPLTests {
    @Test func tabCompletesCommandsAndMentionsAndACustomCommandRuns() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.workspace.appendingPathComponent(".agent/commands"),
                                                withIntermediateDirectories: true)
        try "---\ndescription: Review a file\nargument-hint: <file>\n---\nReview $ARGUMENTS now.\n"
            .write(to: home.workspace.appendingPathComponent(".agent/commands/review.md"), atomically: true, encoding: .utf8)
        try "noted text\n".write(to: home.workspace.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try "Prefer tabs.\n".write(to: home.workspace.appendingPathComponent("AGENTS.md"), atomically: true, encoding: .utf8)
        let server = FakeModelServer(script: [.sse(SSE.answer(["Reviewed."]))])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor("test-model> ")
        agent.sendLine("/help")
        try await agent.waitFor("/review <file>")
        try await agent.waitFor("Review a file (project)")
        let mark = agent.mark()
        agent.send("/rev\t")
        try await agent.waitFor("/review ", after: mark)
        agent.send("@no\t")
        try await agent.waitFor("@notes.txt", after: mark)
        agent.sendLine("")
        try await agent.waitFor("Reviewed.", after: mark)
        let sent = server.chatRequests.first?.messages.last?.objectValue?["content"]?.stringValue ?? ""
        #expect(sent.hasPrefix("Review @notes.txt now.\n\n<file path=\"notes.txt\">"), "\(sent)")
        #expect(sent.contains("noted text"))
        let afterTurn = agent.mark()
        agent.sendLine("/context")
        try await agent.waitFor("AGENTS.md \(home.workspace.path)/AGENTS.md", after: afterTurn)
        try await agent.waitFor("tool schemas: 6 built-in", after: afterTurn)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
    }
}
