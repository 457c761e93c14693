import AgentProtocol
import Foundation

/// The body of an Ollama `POST /api/chat` request.
///
/// Unlike `/v1/chat/completions`, this route takes `options.num_ctx`, so agent chooses the
/// window the model is loaded with instead of Ollama's small default (which silently drops the
/// oldest messages of a larger prompt).
struct OllamaChatRequest: Encodable {
    var model: String
    var messages: [OllamaWireMessage]
    var tools: [WireTool]?
    var stream = true
    var options: Options
    /// Set for models whose capabilities include `thinking`, so their reasoning arrives in
    /// `message.thinking` rather than mixed into the answer.
    var think: Bool?

    struct Options: Encodable {
        var numCtx: Int?
        var numPredict: Int?
        var temperature: Double?
        enum CodingKeys: String, CodingKey {
            case temperature
            case numCtx = "num_ctx"
            case numPredict = "num_predict"
        }
    }

    init(config: LLMConfig, messages: [Message], tools: [ToolSpec], facts: ModelFacts) {
        model = config.model
        self.messages = messages.map(OllamaWireMessage.init)
        self.tools = tools.isEmpty ? nil : tools.map(WireTool.init)
        options = Options(numCtx: facts.numCtx, numPredict: config.maxTokens, temperature: config.temperature)
        think = facts.capabilities?.contains("thinking") == true ? true : nil
    }
}

struct OllamaWireMessage: Encodable {
    var role: String
    var content: String
    var toolCalls: [Call]?
    var toolName: String?

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolName = "tool_name"
    }

    struct Call: Encodable {
        var function: Function
        struct Function: Encodable {
            var name: String
            /// Ollama takes the arguments as a JSON object, not as text.
            var arguments: JSONValue
        }
    }

    init(_ message: Message) {
        role = message.role.rawValue
        content = message.content
        toolCalls = message.toolCalls.isEmpty ? nil : message.toolCalls.map { call in
            // A model that wrote arguments that are not an object gets an empty one back; the tool
            // result it received already said what was wrong with them.
            let arguments: JSONValue = switch JSONValue.parse(call.arguments) {
            case .object(let object)?: .object(object)
            default: .object([:])
            }
            return Call(function: .init(name: call.name, arguments: arguments))
        }
        toolName = message.role == .tool ? message.name : nil
    }
}
