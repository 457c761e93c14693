import Foundation
import Testing

@testable import AgentConfig

@Suite struct MCPServersTests {
    @Test func serversAreReadAsCodexWritesThem() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            """
            model = "m"

            [mcp_servers.git]
            command = "~/bin/mcp-server-git"
            args = ["--repository", "."]
            env = { GIT_AUTHOR_NAME = "agent" }
            startup_timeout_sec = 20
            tool_timeout_sec = 5.5

            [mcp_servers.off]
            command = "x"
            enabled = false
            cwd = "tools"
            """)
        let config = try sandbox.load()
        #expect(config.warnings.isEmpty)
        var git = MCPServerSettings(name: "git", command: sandbox.root + "/home/bin/mcp-server-git")
        git.args = ["--repository", "."]
        git.env = ["GIT_AUTHOR_NAME": "agent"]
        git.startupTimeout = 20
        git.toolTimeout = 5.5
        var off = MCPServerSettings(name: "off", command: "x")
        off.enabled = false
        off.cwd = "tools"
        #expect(config.mcpServers == [git, off])
        #expect(config.describe().contains("[mcp_servers.git]"))
        #expect(config.describe().contains("env = { GIT_AUTHOR_NAME = (hidden) }"))
    }

    @Test func badValuesAreOneLineErrorsAndUnknownKeysWarn() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("[mcp_servers.git]\ncommand = \"g\"\nstartup_timeout_sec = -1\n")
        #expect(sandbox.loadError() == "config error: mcp_servers.git.startup_timeout_sec in \(path): "
            + "expected a positive number of seconds up to 86400, got -1")
        try sandbox.writeConfig("[mcp_servers.git]\nargs = [\"a\"]\n")
        #expect(sandbox.loadError() == "config error: mcp_servers.git.command in \(path): expected a program to run, got nothing")
        try sandbox.writeConfig("[mcp_servers.git]\ncommand = \"g\"\nargs = [1]\n")
        #expect(sandbox.loadError()?.contains("expected an array of strings, got an array") == true)
        try sandbox.writeConfig("[mcp_servers.git]\ncommand = \"g\"\ncomand = \"h\"\n")
        #expect(try sandbox.load().warnings.map(\.description) == [
            "config warning: unknown key \"mcp_servers.git.comand\" in \(path):3 (did you mean \"mcp_servers.git.command\"?)",
        ])
        try sandbox.writeConfig("mcp_servers = 3\n")
        #expect(sandbox.loadError() == "config error: mcp_servers in \(path): expected a table of servers, got 3")
    }
}
