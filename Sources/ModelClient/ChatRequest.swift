import AgentProtocol
import Foundation

/// The body of a `/v1/chat/completions` request. Only fields every OpenAI-compatible server accepts
/// are sent; local metadata (times, the interrupted mark) stays home.
struct ChatRequest: Encodable {
    var model: String
    var messages: [WireMessage]
    var tools: [WireTool]?
    var stream = true
    var streamOptions = StreamOptions()
    var temperature: Double?
    var maxTokens: Int?

    struct StreamOptions: Encodable {
        var includeUsage = true
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, tools, stream, temperature
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
    }

    init(config: LLMConfig, messages: [Message], tools: [ToolSpec]) {
        self.model = config.model
        self.messages = messages.map(WireMessage.init)
        self.tools = tools.isEmpty ? nil : tools.map(WireTool.init)
        self.temperature = config.temperature
        self.maxTokens = config.maxTokens
    }
}

struct WireMessage: Encodable {
    var role: String
    var content: String?
    var toolCalls: [WireToolCall]?
    var toolCallID: String?
    var name: String?

    enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    init(_ message: Message) {
        role = message.role.rawValue
        // An assistant message that only calls tools has null content in OpenAI's format;
        // some servers reject "" there.
        content = message.role == .assistant && message.content.isEmpty && !message.toolCalls.isEmpty
            ? nil : message.content
        toolCalls = message.toolCalls.isEmpty ? nil : message.toolCalls.map(WireToolCall.init)
        toolCallID = message.role == .tool ? message.toolCallID : nil
        name = message.role == .tool ? message.name : nil
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        // `content: null` must be present for a tool-calling assistant message.
        try c.encode(content, forKey: .content)
        try c.encodeIfPresent(toolCalls, forKey: .toolCalls)
        try c.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try c.encodeIfPresent(name, forKey: .name)
    }
}

struct WireToolCall: Encodable {
    var id: String
    var type = "function"
    var function: Function

    struct Function: Encodable {
        var name: String
        var arguments: String
    }

    init(_ call: ToolCall) {
        id = call.id
        function = Function(name: call.name, arguments: call.arguments.isEmpty ? "{}" : call.arguments)
    }
}

struct WireTool: Encodable {
    var type = "function"
    var function: Function

    struct Function: Encodable {
        var name: String
        var description: String
        var parameters: JSONValue
    }

    init(_ spec: ToolSpec) {
        function = Function(name: spec.name, description: spec.description, parameters: spec.parameters)
    }
}
