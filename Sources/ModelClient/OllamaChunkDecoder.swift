import AgentProtocol
import Foundation

/// Turns one line of Ollama's `/api/chat` NDJSON stream into model events.
///
/// A line is `{"message":{"role":"assistant","content":…,"thinking":…,"tool_calls":[…]},
/// "done":false}`; tool calls come whole in one line with their arguments as a JSON object and,
/// before Ollama 0.12, without ids; the last line has `"done":true`, `done_reason` and the counts
/// (`prompt_eval_count`, `eval_count`, and since 0.30 `prompt_eval_cached_count`). An error in
/// the middle of a stream is a line `{"error":"…"}`.
struct OllamaChunkDecoder {
    private let decoder = JSONDecoder()

    /// `callsSoFar` numbers the calls of one answer, since Ollama sends no index of its own.
    func decode(_ line: UnsafeBufferPointer<UInt8>, callsSoFar: Int) -> ChatChunkDecoder.Outcome {
        let parsed: Line
        switch ChatChunkDecoder.decodeChunk(Line.self, from: Data(buffer: line), with: decoder) {
        case .success(let decoded): parsed = decoded
        case .failure(let failure): return failure.outcome
        }
        if let error = parsed.error { return .serverError(error.message ?? "unknown error") }
        guard parsed.message != nil || parsed.done != nil else { return .malformed }
        var events: [ModelEvent] = []
        if let message = parsed.message {
            if let thinking = message.thinking, !thinking.isEmpty { events.append(.reasoning(thinking)) }
            if let content = message.content, !content.isEmpty { events.append(.content(content)) }
            for (offset, call) in (message.toolCalls ?? []).enumerated() {
                let arguments: String? = switch call.function?.arguments {
                case .none, .some(.null): nil
                case .some(.string(let text)): text
                case .some(let other): other.jsonText
                }
                events.append(.toolCall(ToolCallDelta(
                    index: callsSoFar + offset, id: call.id, name: call.function?.name, arguments: arguments ?? "{}")))
            }
        }
        if parsed.done == true {
            events.append(.finish(reason: parsed.doneReason ?? "stop"))
            if parsed.promptEvalCount != nil || parsed.evalCount != nil {
                events.append(.usage(Usage(
                    promptTokens: parsed.promptEvalCount ?? 0, completionTokens: parsed.evalCount ?? 0,
                    cachedPromptTokens: parsed.promptEvalCachedCount)))
            }
        }
        return .events(events)
    }

    struct Line: Decodable {
        var message: Message?
        var done: Bool?
        var doneReason: String?
        var promptEvalCount: Int?
        var promptEvalCachedCount: Int?
        var evalCount: Int?
        var error: ChatChunkDecoder.WireError?

        enum CodingKeys: String, CodingKey {
            case message, done, error
            case doneReason = "done_reason"
            case promptEvalCount = "prompt_eval_count"
            case promptEvalCachedCount = "prompt_eval_cached_count"
            case evalCount = "eval_count"
        }
    }

    struct Message: Decodable {
        var content: String?
        var thinking: String?
        var toolCalls: [Call]?
        enum CodingKeys: String, CodingKey {
            case content, thinking
            case toolCalls = "tool_calls"
        }
    }

    struct Call: Decodable {
        var id: String?
        var function: ChatChunkDecoder.WireCallDelta.Function?
    }
}
