import AgentConfig
import AgentCore
import AgentTestSupport
import Foundation
import Testing

@testable import MCPTools

/// The fixture MCP server (Tests/Fixtures/MCPFixtureServer) as a configured server, and a
/// hub over it in a temporary folder.
struct FixtureSandbox {
    let root: URL
    var workspace: URL { root.appendingPathComponent("work") }
    var logs: String { root.appendingPathComponent("logs").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("agent-mcp-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func binary() throws -> String {
        try #require(BuiltBinary.path(named: "mcp-fixture-server"),
                     "build the fixture first (swift build --product mcp-fixture-server)")
    }

    /// agent-mcp, the helper the hub runs the servers in.
    static func helper() -> String? {
        BuiltBinary.path(named: "agent-mcp")
    }

    func server(_ name: String = "fx", _ arguments: [String] = [], configure: (inout MCPServerSettings) -> Void = { _ in })
        throws -> MCPServerSettings
    {
        var settings = MCPServerSettings(name: name, command: try Self.binary())
        settings.args = arguments
        configure(&settings)
        return settings
    }

    func hub(_ servers: [MCPServerSettings], environment: [String: String] = ProcessInfo.processInfo.environment,
             secrets: [String] = [], helper: String? = FixtureSandbox.helper()) -> MCPHub {
        MCPHub(servers: servers, options: MCPHub.Options(
            workspace: workspace, environment: environment, secrets: secrets, logDirectory: logs,
            reservedNames: Set(ToolRegistry.standard().names), clientVersion: "test", helperPath: helper))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}


extension MCPHub {
    /// Starts, waits, and returns the tools by name.
    func started() async -> [String: any AgentCore.Tool] {
        start()
        await waitUntilStarted()
        return Dictionary(await tools().map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Waits (polling: the server writes the file when it gets the notice) until `path` contains `text`.
func fileContains(_ path: String, _ text: String, within limit: Duration = .seconds(10)) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if let contents = try? String(contentsOfFile: path, encoding: .utf8), contents.contains(text) { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}
