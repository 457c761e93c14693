import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct ToolRegistryTests {
    @Test func standardHasTheSixToolsInAStableOrder() {
        let registry = ToolRegistry.standard()
        #expect(registry.names == ["read_file", "list_dir", "search_files", "write_file", "edit_file", "run_shell"])
        #expect(registry.specs.map(\.name) == registry.names)
        #expect(registry.tool(named: "edit_file") is EditFileTool)
        #expect(registry.tool(named: "rm_rf") == nil)
        #expect(registry.tools.filter(\.isMutating).map(\.spec.name) == ["write_file", "edit_file", "run_shell"])
    }

    @Test func aToolWithATakenNameReplacesTheOldOneInPlace() {
        var registry = ToolRegistry.standard()
        registry.register(RenamedShell())
        #expect(registry.names == ["read_file", "list_dir", "search_files", "write_file", "edit_file", "run_shell"])
        #expect(registry.tool(named: "run_shell") is RenamedShell)
    }

    /// Every spec is a JSON Schema object whose required keys are among its properties.
    @Test func schemasAreWellFormed() throws {
        for spec in ToolRegistry.standard().specs {
            let schema = try #require(spec.parameters.objectValue)
            #expect(schema["type"] == "object")
            let properties = try #require(schema["properties"]?.objectValue)
            if case .array(let required)? = schema["required"] {
                for key in required {
                    #expect(properties[try #require(key.stringValue)] != nil, "\(spec.name)")
                }
            }
            #expect(!spec.description.isEmpty && spec.description.count < 100, "\(spec.name)")
        }
    }

    /// Small local models read the schemas on every request: the whole set must stay a few
    /// hundred tokens (about 4 characters a token) to leave room for the system prompt.
    @Test func theSchemasStaySmall() throws {
        let json = ToolRegistry.standard().specs.map { spec in
            JSONValue.object([
                "type": "function",
                "function": [
                    "name": .string(spec.name), "description": .string(spec.description), "parameters": spec.parameters,
                ],
            ]).jsonText
        }.joined(separator: ",")
        #expect(json.count < 2_400, "the tool schemas take \(json.count) characters")
    }
}

private struct RenamedShell: Tool {
    var spec: ToolSpec {
        ToolSpec(name: "run_shell", description: "stub", parameters: ["type": "object", "properties": [:]])
    }
    var isMutating: Bool { true }
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        ToolPlan(summary: "stub")
    }
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String { "stub" }
}
