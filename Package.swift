// swift-tools-version: 6.2
import Foundation
import PackageDescription

// Dependencies point one way: AgentProtocol <- ModelClient, AgentCore, AgentConfig <- AgentCLI <- agent;
// AgentCore <- MCPTools <- AgentCLI. MCP servers run in a second program, agent-mcp (MCPHost), the
// only one that links the MCP SDK; MCPTools talks to it over MCPHostWire's line protocol.
// AgentCore sees models only through the `ChatModel` protocol and never imports the HTTP layer.
let package = Package(
    name: "agent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "agent", targets: ["agent"]),
        .executable(name: "agent-mcp", targets: ["agent-mcp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "AgentProtocol", exclude: ["README.md"]),
        // Markdown for a terminal, rendered as it streams; pure (no I/O), used by AgentCLI.
        .target(name: "MarkdownTerminal", exclude: ["README.md"]),
        .target(
            name: "ModelClient",
            dependencies: [
                "AgentProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "AgentCore",
            dependencies: [
                "AgentProtocol",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "AgentConfig",
            dependencies: [
                "AgentProtocol",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            exclude: ["README.md"]
        ),
        // posix_spawn helpers Swift's Glibc module hides (they need _GNU_SOURCE).
        .target(name: "CSpawn"),
        // The line protocol between agent and agent-mcp: pure, linked by both.
        .target(name: "MCPHostWire", dependencies: ["AgentProtocol"], exclude: ["README.md"]),
        // Children spawned in their own process group and spoken to in lines over pipes.
        .target(name: "ChildProcesses", dependencies: ["CSpawn", "MCPHostWire"], exclude: ["README.md"]),
        // MCP servers as tools, agent's side: starts agent-mcp and offers its servers' tools.
        .target(
            name: "MCPTools",
            dependencies: ["AgentProtocol", "AgentCore", "AgentConfig", "ChildProcesses", "MCPHostWire"],
            exclude: ["README.md"]
        ),
        // Inside agent-mcp: the only target that imports the MCP SDK (and so links libcurl).
        .target(
            name: "MCPHost",
            dependencies: [
                "AgentProtocol", "AgentCore", "ChildProcesses", "MCPHostWire",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "agent-mcp", dependencies: ["MCPHost"], exclude: ["README.md"]),
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "AgentCLI",
            dependencies: [
                "AgentProtocol", "ModelClient", "AgentCore", "AgentConfig", "MCPTools", "CLibEdit", "MarkdownTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "agent", dependencies: ["AgentCLI"]),
        .target(
            name: "AgentTestSupport",
            dependencies: [
                "AgentProtocol", "MarkdownTerminal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A child process the session tests kill with SIGKILL while it saves.
        .executableTarget(
            name: "session-writer-fixture", dependencies: ["AgentCore"], path: "Tests/Fixtures/SessionWriterFixture"
        ),
        // A scriptable MCP server over stdio for the MCP tests (hangs, slow tools, images, children).
        .executableTarget(
            name: "mcp-fixture-server", dependencies: ["AgentProtocol"], path: "Tests/Fixtures/MCPFixtureServer"
        ),
        .testTarget(
            name: "ModelClientTests",
            dependencies: ["ModelClient", "AgentTestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
        .testTarget(name: "AgentCoreTests", dependencies: ["AgentCore", "AgentTestSupport", "ModelClient"]),
        .testTarget(name: "AgentConfigTests", dependencies: ["AgentConfig", "AgentProtocol", "AgentTestSupport"]),
        .testTarget(name: "MarkdownTerminalTests", dependencies: ["MarkdownTerminal"], resources: [.copy("Golden")]),
        .testTarget(name: "AgentCLITests", dependencies: ["AgentCLI", "AgentTestSupport"]),
        .testTarget(name: "MCPHostWireTests", dependencies: ["MCPHostWire", "AgentProtocol"]),
        .testTarget(
            name: "MCPToolsTests",
            dependencies: ["MCPTools", "AgentCore", "AgentTestSupport", "ChildProcesses", "MCPHostWire"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["AgentTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, one per folder of Fuzz/Targets, built only by scripts/fuzz (AGENT_FUZZ=1,
// scratch path .build-fuzz): they get their `main` from libFuzzer, so a normal build must not
// see them. Adding a target is adding a folder with one file; see Fuzz/README.md.
if Context.environment["AGENT_FUZZ"] != nil {
    let folder = Context.packageDirectory + "/Fuzz/Targets"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/Driver"))
    for name in names.sorted() where !name.hasPrefix(".") {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["FuzzDriver", "AgentProtocol", "ModelClient", "AgentCore", "AgentConfig"],
            path: "Fuzz/Targets/" + name, swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
