import Testing

@testable import MCPTools

@Suite struct MCPToolNamesTests {
    @Test func plainNamesJoinServerAndTool() {
        var taken: Set<String> = []
        #expect(MCPToolNames.qualified(server: "git", tool: "git_log", taken: &taken) == "git__git_log")
    }

    @Test func charactersOpenAIRejectsBecomeUnderscores() {
        var taken: Set<String> = []
        #expect(MCPToolNames.qualified(server: "my server", tool: "files.read/v2", taken: &taken) == "my_server__files_read_v2")
    }

    @Test func longAndCollidingNamesStayUniqueAndWithinTheLimit() {
        var taken: Set<String> = ["a_b__t"]
        let collided = MCPToolNames.qualified(server: "a.b", tool: "t", taken: &taken)
        #expect(collided != "a_b__t" && collided.hasPrefix("a_b__t_"))
        let long = MCPToolNames.qualified(server: "s", tool: String(repeating: "x", count: 100), taken: &taken)
        #expect(long.count == 64)
        #expect(MCPToolNames.qualified(server: "s", tool: String(repeating: "x", count: 100), taken: &taken) != long)
        // Stable from run to run: the same input gives the same hash.
        #expect(MCPToolNames.hash("git/git_log") == MCPToolNames.hash("git/git_log"))
        #expect(taken.allSatisfy { $0.count <= 64 })
    }
}
