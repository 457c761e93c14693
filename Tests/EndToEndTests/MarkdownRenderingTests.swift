import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// The built binary renders the fake server's markdown answer on a terminal, leaves it exact
/// everywhere else, and wraps later lines to a new width after a resize.
@Suite(.timeLimit(.minutes(2))) struct MarkdownRenderingTests {
    static let prompt = "test-model> "

    /// Whether `text` has an SGR sequence (`ESC [ digits ; … m`).
    static func containsSGR(_ text: String) -> Bool {
        var rest = Substring(text)
        while let escape = rest.firstIndex(of: "\u{1B}") {
            rest = rest[rest.index(after: escape)...]
            guard rest.first == "[" else { continue }
            let body = rest.dropFirst().prefix { $0.isNumber || $0 == ";" }
            if rest.dropFirst(1 + body.count).first == "m" { return true }
        }
        return false
    }

    /// Runs one REPL turn that streams the markdown answer in 1–3 character pieces; returns the
    /// raw terminal output of the turn.
    func replTurn(env: [String: String] = [:], columns: Int = 100) async throws -> String {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(MarkdownAnswer.pieces))])
        try await server.start()
        let agent = try PTYProcess(
            executable: try AgentBinary.path(), arguments: [],
            environment: home.environment(endpoint: server.endpoint, extra: env),
            workingDirectory: home.workspace.path, columns: columns, rows: 40)
        try await agent.waitFor(Self.prompt)
        let mark = agent.mark()
        agent.sendLine("how do I read a file?")
        try await agent.waitFor("10 in", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        let output = agent.output(after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        return output
    }

    @Test func theREPLRendersTheAnswer() async throws {
        let output = try await replTurn()
        var screen = TerminalScreen(columns: 100)
        screen.apply(output)
        let lines = screen.lines
        let shown = lines.joined(separator: "\n")

        let heading = try #require(lines.firstIndex { $0.contains("Reading a file in Python") })
        #expect(lines[heading] == "Reading a file in Python", "no # before the heading")
        let headingCells = screen.cells(of: heading).compactMap { $0 }
        #expect(headingCells.allSatisfy { $0.bold })

        #expect(!shown.contains("**"))
        #expect(!shown.contains("```"))
        #expect(!shown.contains("`"), "no backticks around inline code")
        let prose = try #require(lines.firstIndex { $0.hasPrefix("Use with so the file is closed for you") })
        let cells = screen.cells(of: prose).compactMap { $0 }
        #expect(cells[4].character == "w" && cells[4].bold, "with is bold")
        #expect(cells.first { $0.character == "c" && $0.italic } != nil, "closed is italic")
        #expect(lines.contains("• open the file"))
        #expect(lines.contains("  ◦ or iterate over lines"))
        #expect(lines.contains(#"with open("notes.txt") as f:"#))
        #expect(lines.contains("    text = f.read()  # whole file"))

        let tableRows = lines.filter { $0.hasPrefix("│") && $0.filter { $0 == "│" }.count == 3 }
        #expect(tableRows.count == 3)
        let secondColumn = Set(tableRows.map { row in row.distance(from: row.startIndex, to: row.dropFirst().firstIndex(of: "│")!) })
        #expect(secondColumn.count == 1, "the second column starts at one screen column: \(tableRows)")
        #expect(lines.contains { $0.hasPrefix("│ Tip: pass encoding=\"utf-8\" explicitly.") })
        #expect(output.contains("\u{1B}[1mwith\u{1B}[0m"))
    }

    @Test func noColorLeavesNoSGRAndTheTextAsSent() async throws {
        let output = try await replTurn(env: ["NO_COLOR": "1"])
        #expect(!Self.containsSGR(output))
        let text = output.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.contains(MarkdownAnswer.text))
    }

    @Test func dumbTerminalGetsTheTextAsSent() async throws {
        let output = try await replTurn(env: ["TERM": "dumb"])
        #expect(!Self.containsSGR(output))
        #expect(output.replacingOccurrences(of: "\r\n", with: "\n").contains(MarkdownAnswer.text))
    }

    @Test func aPipeGetsTheMarkdownVerbatim() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (result, _) = try await AgentBinary.run(
            ["-p", "q"], home: home, script: [.sse(SSE.answer(MarkdownAnswer.pieces))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == MarkdownAnswer.text + "\n")
        #expect(result.stdout.contains("# Reading a file in Python"))
        #expect(result.stdout.contains("**with**"))
        #expect(result.stdout.contains("```python"))
    }

    @Test func oneShotOnATerminalRendersToo() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(MarkdownAnswer.pieces))])
        try await server.start()
        let agent = try PTYProcess(
            executable: try AgentBinary.path(), arguments: ["-p", "q"],
            environment: home.environment(endpoint: server.endpoint), workingDirectory: home.workspace.path)
        #expect(try await agent.waitForExit() == 0)
        try await agent.waitFor("explicitly.")
        await server.stop()
        var screen = TerminalScreen(columns: 100)
        screen.apply(agent.output)
        let shown = screen.lines.joined(separator: "\n")
        #expect(shown.contains("Reading a file in Python") && !shown.contains("# Reading"))
        #expect(!shown.contains("```") && !shown.contains("**"))
    }

    /// The first half arrives at 100 columns; the terminal is resized to 40; the second half's
    /// lines wrap at 40.
    @Test func resizingMidAnswerWrapsLaterLinesToTheNewWidth() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let words = Array(repeating: "wrapping", count: 14).joined(separator: " ")  // 125 columns
        let gate = Gate()
        let server = FakeModelServer(script: [.stream(
            [.raw(SSE.content("First " + words + "\n")), .wait(gate), .raw(SSE.content("Second **" + words + "**\n"))]
                + SSE.answer([]).map { .raw($0) })])
        try await server.start()
        let agent = try PTYProcess(
            executable: try AgentBinary.path(), arguments: [],
            environment: home.environment(endpoint: server.endpoint), workingDirectory: home.workspace.path,
            columns: 100, rows: 30)
        try await agent.waitFor(Self.prompt)
        let start = agent.mark()
        agent.sendLine("go")
        try await agent.waitFor("First wrapping", after: start)
        let resized = agent.mark()
        agent.resize(columns: 40, rows: 30)
        gate.open()
        try await agent.waitFor(Self.prompt, after: resized)
        let before = agent.output(after: start), after = agent.output(after: resized)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()

        var screen = TerminalScreen(columns: 100)
        screen.apply(String(before.dropLast(after.count)))
        let firstRows = screen.lines.filter { $0.contains("wrapping") }
        #expect(firstRows.count == 2 && firstRows.allSatisfy { $0.count <= 100 }, "\(firstRows)")
        screen.resize(columns: 40)
        screen.apply(after)
        let secondStart = try #require(screen.lines.firstIndex { $0.hasPrefix("Second") })
        let secondRows = screen.lines[secondStart...].prefix { $0.contains("wrapping") || $0.hasPrefix("Second") }
        #expect(secondRows.count == 4, "\(Array(secondRows))")
        #expect(secondRows.allSatisfy { $0.count <= 40 && !$0.hasSuffix(" ") })
        #expect(after.contains("\n\u{1B}[1mwrapping"), "each row is its own line with its style, not folded by the terminal")
    }
}
