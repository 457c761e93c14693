import AgentProtocol
import AgentTestSupport
import ChildProcesses
import Foundation
import MCPHostWire
import Testing

/// agent-mcp itself, spoken to over its pipes the way agent does.
@Suite(.timeLimit(.minutes(2))) struct AgentMCPBinaryTests {
    /// A running agent-mcp: requests in, events out.
    final class Helper: @unchecked Sendable {
        let process: ChildProcess
        let writer: LineWriter
        private var events: AsyncStream<HostEvent>.Iterator

        init(environment: [String: String] = ["PATH": "/usr/bin:/bin"]) throws {
            let path = try #require(FixtureSandbox.helper(), "build agent-mcp first (swift build --product agent-mcp)")
            process = try ChildProcess(executable: path, arguments: [], environment: environment, directory: "/",
                                       stderrPath: nil)
            writer = LineWriter(fd: process.input, label: "test.agent-mcp")
            let (stream, continuation) = AsyncStream.makeStream(of: HostEvent.self)
            events = stream.makeAsyncIterator()
            LineReader.start(fd: process.output, onPiece: { piece in
                guard case .line(let line) = piece else {
                    continuation.yield(.error("oversized"))
                    return
                }
                do {
                    continuation.yield(try HostWire.decodeEvent(line))
                } catch {
                    continuation.yield(.error("unreadable event: \(error)"))
                }
            }, onEnd: { _ in continuation.finish() })
        }

        func send(_ request: HostRequest) { writer.send(HostWire.encode(request)) }
        func send(raw: String) { writer.send(Data(raw.utf8)) }

        /// The next event, or nil once agent-mcp has closed its output.
        func next() async -> HostEvent? { await events.next() }

        /// Events until one matches.
        func next(where match: (HostEvent) -> Bool) async -> HostEvent? {
            while let event = await next() {
                if match(event) { return event }
            }
            return nil
        }
    }

    func start(_ helper: Helper, _ sandbox: FixtureSandbox, arguments: [String]) throws {
        helper.send(.start(HostStart(clientVersion: "test", workspace: sandbox.workspace.path, servers: [
            HostedServerConfig(name: "fx", command: try FixtureSandbox.binary(), args: arguments,
                               logFile: sandbox.logs + "/fx.log"),
        ])))
    }

    @Test func itHostsAServerAnswersCallsAndEndsEverythingAtTheEndOfItsInput() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid"), childFile = sandbox.path("child.pid")
        let helper = try Helper()
        try start(helper, sandbox, arguments: ["--pid-file", pidFile, "--child-pid-file", childFile])
        let starting = await helper.next()
        guard case .server(let spawned)? = starting else { Issue.record("\(String(describing: starting))"); return }
        #expect(spawned.state == .starting && spawned.pid != nil && spawned.logFile == sandbox.logs + "/fx.log")
        guard case .server(let ready)? = await helper.next() else { Issue.record("no ready event"); return }
        #expect(ready.state == .ready)
        #expect(ready.tools.map(\.name) == ["echo", "slow", "image", "env", "big", "fail", "touch", "post"])
        #expect(ready.tools.first?.readOnly == true && ready.tools.last?.readOnly == false)

        helper.send(.call(HostCall(id: 1, server: "fx", tool: "echo", arguments: ["message": "hi"], timeout: 10,
                                   displayName: "fx__echo")))
        #expect(await helper.next() == .result(CallResult(id: 1, text: "echo: hi", isError: false)))
        helper.send(.call(HostCall(id: 2, server: "nope", tool: "echo", arguments: [:], timeout: 10, displayName: "n")))
        #expect(await helper.next() == .result(CallResult(id: 2, text: "there is no MCP server 'nope'", isError: true)))
        helper.send(.call(HostCall(id: 3, server: "fx", tool: "slow", arguments: ["seconds": 60], timeout: 60,
                                   displayName: "fx__slow")))
        helper.send(.cancel(id: 3))
        #expect(await helper.next() == .result(CallResult(id: 3, text: "fx__slow was cancelled", isError: true)))

        let server = try await readPID(pidFile), child = try await readPID(childFile)
        helper.writer.close()
        #expect(await helper.next(where: { _ in false }) == nil)
        await helper.process.waitForExit()
        #expect(helper.process.exitStatus?.description == "exited with status 0")
        #expect(await waitUntilGone(server))
        #expect(await waitUntilGone(child))
    }

    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalEndsItsServersToo(_ signal: Int32) async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid"), childFile = sandbox.path("child.pid")
        let helper = try Helper()
        try start(helper, sandbox, arguments: ["--pid-file", pidFile, "--child-pid-file", childFile])
        _ = await helper.next { if case .server(let update) = $0 { update.state == .ready } else { false } }
        let server = try await readPID(pidFile), child = try await readPID(childFile)
        kill(helper.process.pid, signal)
        await helper.process.waitForExit()
        #expect(helper.process.exitStatus?.description == "exited with status \(128 + signal)")
        #expect(await waitUntilGone(server))
        #expect(await waitUntilGone(child))
    }

    @Test func badLinesAreAnsweredWithAnErrorAndAnotherVersionEndsIt() async throws {
        let helper = try Helper()
        helper.send(raw: "this is not json\n")
        guard case .error(let notJSON)? = await helper.next() else { Issue.record("no error event"); return }
        #expect(notJSON.hasPrefix("a request could not be read: not JSON"), "\(notJSON)")
        helper.send(raw: #"{"v":1,"type":"call","id":1}"# + "\n")
        #expect(await helper.next() == .error("a request could not be read: no \"server\""))
        helper.send(raw: String(repeating: "x", count: HostWire.maxLineBytes + 10) + "\n")
        guard case .error(let oversized)? = await helper.next() else { Issue.record("no error event"); return }
        #expect(oversized.hasPrefix("a request of \(HostWire.maxLineBytes + 10) bytes was dropped"), "\(oversized)")
        helper.send(raw: #"{"v":99,"type":"shutdown"}"# + "\n")
        guard case .error(let version)? = await helper.next() else { Issue.record("no error event"); return }
        #expect(version.contains("protocol version 99, where this side speaks 1"), "\(version)")
        await helper.process.waitForExit()
        #expect(helper.process.exitStatus?.description == "exited with status 2")
    }

    @Test func shutdownEndsItAtOnce() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid"), childFile = sandbox.path("child.pid")
        let helper = try Helper()
        // A server that only SIGKILL ends, so that its end takes the whole grace.
        try start(helper, sandbox, arguments: ["--pid-file", pidFile, "--child-pid-file", childFile, "--stubborn"])
        _ = await helper.next { if case .server(let update) = $0 { update.state == .ready } else { false } }
        let server = try await readPID(pidFile), child = try await readPID(childFile)
        helper.send(.shutdown)
        guard case .server(let stopped)? = await helper.next() else { Issue.record("no stopped event"); return }
        #expect(stopped.state == .stopped)
        // "stopped" is said once the server has been ended, not as its end begins; its child had
        // the group's SIGTERM too, and dies as the scheduler lets it.
        #expect(!isAlive(server), "the server still ran when agent-mcp said it had stopped")
        #expect(await waitUntilGone(child))
        await helper.process.waitForExit()
        #expect(helper.process.exitStatus?.description == "exited with status 0")
    }
}
