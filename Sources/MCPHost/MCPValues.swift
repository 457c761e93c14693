import AgentProtocol
import Foundation
import MCP

/// Conversions between agent's `JSONValue` and the SDK's `Value`, through JSON text: both
/// types define their own coding, and going through it keeps every edge case (integers versus
/// doubles, data URLs) the way each library means it.
enum MCPValues {
    static func json(_ value: Value) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    /// The arguments to send for a call whose arguments the model wrote as `json`.
    static func arguments(_ values: [String: JSONValue]) throws -> [String: Value] {
        try JSONDecoder().decode([String: Value].self, from: Data(JSONValue.object(values).jsonText.utf8))
    }

    /// The tool's input schema as the model is given it: always an object schema with
    /// `properties`, which OpenAI's validation requires even for a tool without parameters.
    static func parameters(_ schema: Value) throws -> JSONValue {
        var object = try json(schema).objectValue ?? [:]
        if object["type"] == nil { object["type"] = "object" }
        if object["properties"] == nil { object["properties"] = .object([:]) }
        return .object(object)
    }
}
