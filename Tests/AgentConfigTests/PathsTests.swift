import Testing

@testable import AgentConfig

/// XDG locations computed from an environment dictionary.
@Suite struct PathsTests {
    @Test func defaultsUnderHome() {
        let paths = Paths(environment: ["HOME": "/home/u"])
        #expect(paths.home == "/home/u")
        #expect(paths.configFile == "/home/u/.config/agent/config.toml")
        #expect(paths.stateDirectory == "/home/u/.local/state/agent")
        #expect(paths.sessionsDirectory == "/home/u/.local/state/agent/sessions")
        #expect(paths.historyFile == "/home/u/.local/state/agent/history")
    }

    @Test func xdgVariablesWin() {
        let paths = Paths(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg/", "XDG_STATE_HOME": "/st"])
        #expect(paths.configFile == "/cfg/agent/config.toml")
        #expect(paths.stateDirectory == "/st/agent")
        #expect(paths.sessionsDirectory == "/st/agent/sessions")
        #expect(paths.historyFile == "/st/agent/history")
    }

    @Test func relativeOrEmptyXDGVariablesAreIgnored() {
        let paths = Paths(environment: ["HOME": "/home/u/", "XDG_CONFIG_HOME": "relative", "XDG_STATE_HOME": ""])
        #expect(paths.configFile == "/home/u/.config/agent/config.toml")
        #expect(paths.stateDirectory == "/home/u/.local/state/agent")
    }

    @Test func tildeExpansion() {
        let paths = Paths(environment: ["HOME": "/home/u"])
        #expect(paths.expandingTilde("~") == "/home/u")
        #expect(paths.expandingTilde("~/s") == "/home/u/s")
        #expect(paths.expandingTilde("/abs/~") == "/abs/~")
        #expect(paths.expandingTilde("~other/x") == "~other/x")
    }

    @Test func resolvedConfigUsesTheSandboxPaths() throws {
        let sandbox = try Sandbox()
        let config = try sandbox.load()
        #expect(config.sessionsDirectory == sandbox.root + "/state/agent/sessions")
        #expect(config.historyFile == sandbox.root + "/state/agent/history")
        #expect(config.paths.configFile == sandbox.defaultConfigPath)
    }

    @Test func sessionsDirFromTheFile() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("[sessions]\ndir = \"/data/chats\"\n")
        #expect(try sandbox.load().sessionsDirectory == "/data/chats")
    }
}
