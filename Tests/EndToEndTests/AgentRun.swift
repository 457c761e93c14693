import AgentTestSupport
import Foundation
import Testing

/// A hermetic home for one end-to-end test: temporary HOME and XDG folders, so no test reads or
/// writes the developer's real configuration, history or sessions.
struct TestHome {
    private let folder: TemporaryDirectory
    var root: URL { folder.url }
    var home: URL { root.appendingPathComponent("home") }
    var config: URL { root.appendingPathComponent("config") }
    var state: URL { root.appendingPathComponent("state") }
    var workspace: URL { root.appendingPathComponent("work") }
    var sessionsDir: URL { state.appendingPathComponent("agent/sessions") }

    init() throws {
        folder = try TemporaryDirectory(prefix: "agent-e2e")
        for dir in [home, config, state, workspace] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }

    func environment(endpoint: String?, model: String = "test-model", extra: [String: String] = [:]) -> [String: String] {
        var env: [String: String] = [
            "HOME": home.path, "XDG_CONFIG_HOME": config.path, "XDG_STATE_HOME": state.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TERM": "xterm-256color",
            "AGENT_MODEL": model, "LANG": "C.UTF-8",
        ]
        if let endpoint { env["AGENT_ENDPOINT"] = endpoint }
        for (k, v) in extra { env[k] = v }
        return env
    }

    func writeConfig(_ text: String) throws {
        let dir = config.appendingPathComponent("agent")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try text.write(to: dir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    }

    func sessionFiles() -> [URL] {
        (try? FileManager.default.contentsOfDirectory(at: sessionsDir, includingPropertiesForKeys: nil)) ?? []
    }

    func remove() { folder.remove() }
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum AgentBinary {
    static func path() throws -> String {
        try #require(BuiltBinary.path(named: "agent"), "build the agent product first (swift build --product agent)")
    }

    /// Starts the REPL in a pseudo-terminal, in the home's workspace, talking to `server`.
    static func repl(_ home: TestHome, _ server: FakeModelServer, _ arguments: [String] = [],
                     env: [String: String] = [:]) throws -> PTYProcess {
        try PTYProcess(executable: try path(), arguments: arguments,
                       environment: home.environment(endpoint: server.endpoint, extra: env),
                       workingDirectory: home.workspace.path)
    }

    /// Runs agent once against a fake server that plays `script`; the server is stopped after,
    /// for the test to look at what it was sent.
    static func run(_ arguments: [String], home: TestHome, script: [FakeReply]) async throws
        -> (result: RunResult, server: FakeModelServer)
    {
        let server = FakeModelServer(script: script)
        try await server.start()
        let result = try await run(arguments, home: home, environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        return (result, server)
    }

    /// Runs agent with pipes (no terminal) and waits for it to exit.
    static func run(_ arguments: [String], home: TestHome, environment: [String: String], stdin: String? = nil,
                    directory: URL? = nil, onStart: (@Sendable (Int32) -> Void)? = nil) async throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory ?? home.workspace
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        onStart?(process.processIdentifier)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Blocking reads run on their own threads: on the cooperative pool (2 threads here) they
        // would starve the in-process fake server the agent is talking to.
        async let stdoutData = blocking { out.fileHandleForReading.readDataToEndOfFile() }
        async let stderrData = blocking { err.fileHandleForReading.readDataToEndOfFile() }
        let (o, e) = await (stdoutData, stderrData)
        await blocking { process.waitUntilExit() }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return RunResult(status: status, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
