import AgentTestSupport
import Foundation
import Testing

/// `scripts/install` in a temporary HOME and prefix: agent runs from a new shell, is stripped,
/// has completions and a man page, and `--uninstall` leaves nothing behind.
/// The first run builds swift-argument-parser's man page generator (about a minute).
@Suite(.timeLimit(.minutes(10))) struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Shell {
        var status: Int32
        var output: String
    }

    /// Runs a command with exactly `environment` and returns its status and output (both streams).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> Shell {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["-i"] + environment.map { "\($0.key)=\($0.value)" }.sorted() + arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = await blocking { pipe.fileHandleForReading.readDataToEndOfFile() }
        await blocking { process.waitUntilExit() }
        return Shell(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    @Test func installsRunsFromANewShellAndUninstallsCompletely() async throws {
        let agent = try AgentBinary.path()
        let sandbox = try TemporaryDirectory(prefix: "agent-install")
        let home = sandbox.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let prefix = sandbox.url.appendingPathComponent("prefix").path
        let systemPath = "/usr/local/bin:/usr/bin:/bin"
        let env = ["HOME": home.path, "SHELL": "/bin/bash", "PATH": (ProcessInfo.processInfo.environment["PATH"] ?? systemPath),
                   "TMPDIR": sandbox.path]

        // Run as README says, not through bash: the file's executable bit is part of what ships.
        let install = try await Self.run(["scripts/install", "--binary", agent, "--prefix", prefix], environment: env)
        #expect(install.status == 0, "\(install.output)")
        #expect(install.output.contains("\(prefix)/bin is not on your PATH"))
        #expect(!install.output.contains("warning"), "\(install.output)")

        // A new shell with the bin folder on PATH, as the install told the user to set it.
        let version = try await Self.run(["bash", "-c", "agent --version"],
                                         environment: ["HOME": home.path, "PATH": "\(prefix)/bin:\(systemPath)"])
        #expect(version.status == 0)
        #expect(version.output == "0.1.0\n")

        // agent-mcp, the helper that runs MCP servers, is installed next to agent, where agent looks.
        #expect(FileManager.default.isExecutableFile(atPath: "\(prefix)/bin/agent-mcp"), "\(install.output)")

        let symbols = try await Self.run(["readelf", "-S", "\(prefix)/bin/agent"], environment: ["PATH": systemPath])
        #expect(symbols.status == 0)
        #expect(!symbols.output.contains(".symtab"), "the installed binary still has its symbol table")
        #expect(!symbols.output.contains(".debug_info"))

        let completion = "\(prefix)/share/bash-completion/completions/agent"
        let complete = try await Self.run(["bash", "-c", "source '\(completion)' && complete -p agent"],
                                          environment: ["PATH": systemPath])
        #expect(complete.status == 0, "\(complete.output)")
        #expect(complete.output.contains("agent"))

        let page = try String(contentsOfFile: "\(prefix)/share/man/man1/agent.1", encoding: .utf8)
        #expect(page.contains(".Dt AGENT 1"))
        #expect(page.contains("Fl p , -print"))  // mdoc: `Fl` writes the dash
        #expect(page.contains("Fl -output-format Ar output-format"))

        let uninstall = try await Self.run(["scripts/install", "--uninstall", "--prefix", prefix], environment: env)
        #expect(uninstall.status == 0, "\(uninstall.output)")
        #expect(!FileManager.default.fileExists(atPath: prefix), "left: \(Self.files(under: prefix))")
        #expect(Self.installedFiles(under: home.path).isEmpty, "left: \(Self.installedFiles(under: home.path))")
    }

    @Test func uninstallWithoutAnInstallSaysSo() async throws {
        let sandbox = try TemporaryDirectory(prefix: "agent-install")
        let result = try await Self.run(["scripts/install", "--uninstall", "--prefix", sandbox.path],
                                        environment: ["HOME": sandbox.path, "PATH": "/usr/bin:/bin"])
        #expect(result.status == 1)
        #expect(result.output.contains("nothing to uninstall"))
    }

    /// What is under HOME besides the toolchain's own caches: building the man page generator on a
    /// fresh clone runs SwiftPM with this HOME, which keeps its caches in `.cache` and makes an
    /// empty `.local/share/bin`; neither is something the install made.
    static func installedFiles(under path: String) -> [String] {
        let toolchain: Set<String> = [".local", ".local/share", ".local/share/bin"]
        return files(under: path).filter { !$0.hasPrefix(".cache") && !toolchain.contains($0) }
    }

    static func files(under path: String) -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
    }
}
