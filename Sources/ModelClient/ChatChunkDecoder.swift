import AgentProtocol
import Foundation

/// Turns the `data:` payload of one SSE event into model events.
///
/// Servers differ in small ways this absorbs: reasoning arrives as `reasoning_content`
/// (llama.cpp, vLLM, DeepSeek) or `reasoning` (Ollama); tool-call arguments arrive as a string
/// fragment or, from Ollama, as a whole JSON object.
struct ChatChunkDecoder {
    enum Outcome: Equatable {
        case events([ModelEvent])
        case done
        /// Not JSON, or JSON of an unknown shape; the caller skips it and counts it.
        case malformed
        /// A chat chunk with a field of the wrong type (`"content": 42`): skipping it would lose
        /// part of the answer without a word, so the caller fails the stream, naming the field.
        case wrongType(String)
        /// The server put an error object in the stream instead of a chunk.
        case serverError(String)
    }

    private let decoder = JSONDecoder()

    /// The whole decoder, fast path first. The stream reader calls the two halves itself, so
    /// that fast-path text goes straight into its buffer.
    func decode(_ data: String) -> Outcome {
        var data = data
        return data.withUTF8 { bytes in
            if let fast = ContentDeltaFastPath.content(bytes) { return .events(fast.isEmpty ? [] : [.content(fast)]) }
            return decodeInFull(bytes)
        }
    }

    /// The JSONDecoder path, for every chunk that `ContentDeltaFastPath` refuses.
    func decodeInFull(_ data: UnsafeBufferPointer<UInt8>) -> Outcome {
        var start = data.startIndex
        var end = data.endIndex
        while start < end, data[start] == 0x20 || data[start] == 0x09 { start += 1 }
        while end > start, data[end - 1] == 0x20 || data[end - 1] == 0x09 { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: data[start..<end])
        if trimmed.elementsEqual("[DONE]".utf8) { return .done }
        let chunk: Chunk
        switch Self.decodeChunk(Chunk.self, from: Data(buffer: trimmed), with: decoder) {
        case .success(let decoded): chunk = decoded
        case .failure(let failure): return failure.outcome
        }
        if let error = chunk.error { return .serverError(error.message ?? "unknown error") }
        var events: [ModelEvent] = []
        for choice in chunk.choices ?? [] {
            if let delta = choice.delta ?? choice.message {
                if let r = delta.reasoningContent ?? delta.reasoning, !r.isEmpty { events.append(.reasoning(r)) }
                if let c = delta.content, !c.isEmpty { events.append(.content(c)) }
                for call in delta.toolCalls ?? [] {
                    let arguments: String? = switch call.function?.arguments {
                    case .none, .some(.null): nil
                    case .some(.string(let s)): s
                    case .some(let other): other.jsonText
                    }
                    events.append(.toolCall(ToolCallDelta(
                        index: call.index, id: call.id, name: call.function?.name, arguments: arguments)))
                }
            }
            if let reason = choice.finishReason { events.append(.finish(reason: reason)) }
        }
        if let usage = chunk.usage {
            let cached = usage.promptTokensDetails?.cachedTokens ?? chunk.timings?.cacheN
            events.append(.usage(Usage(
                promptTokens: usage.promptTokens ?? 0, completionTokens: usage.completionTokens ?? 0,
                cachedPromptTokens: cached)))
        }
        if chunk.choices == nil && chunk.usage == nil { return .malformed }
        return .events(events)
    }

    /// Decodes a line of JSON, telling a chunk with a wrong-typed field (an error the server must
    /// hear about) from text that is not a chunk at all (skipped).
    static func decodeChunk<T: Decodable>(_ type: T.Type, from data: Data, with decoder: JSONDecoder)
        -> Result<T, OutcomeFailure>
    {
        do {
            return .success(try decoder.decode(type, from: data))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            return .failure(OutcomeFailure(.wrongType(fieldPath(context.codingPath))))
        } catch DecodingError.valueNotFound(_, let context) where !context.codingPath.isEmpty {
            return .failure(OutcomeFailure(.wrongType(fieldPath(context.codingPath))))
        } catch {
            return .failure(OutcomeFailure(.malformed))
        }
    }

    /// `choices[0].delta.content`.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        path.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }

    struct Chunk: Decodable {
        var choices: [Choice]?
        var usage: WireUsage?
        var error: WireError?
        /// llama.cpp's own figures, sent with the last chunk.
        var timings: Timings?
    }

    struct Timings: Decodable {
        var cacheN: Int?
        enum CodingKeys: String, CodingKey { case cacheN = "cache_n" }
    }

    struct WireError: Decodable {
        var message: String?
        init(from decoder: any Decoder) throws {
            // `"error": "text"` (Ollama) or `"error": {"message": "text"}` (OpenAI).
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                message = text
            } else {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                message = try c.decodeIfPresent(String.self, forKey: .message)
            }
        }
        enum CodingKeys: String, CodingKey { case message }
    }

    struct Choice: Decodable {
        var delta: Delta?
        /// Some servers answer `stream: true` with whole messages.
        var message: Delta?
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case delta, message
            case finishReason = "finish_reason"
        }
    }

    struct Delta: Decodable {
        var content: String?
        var reasoningContent: String?
        var reasoning: String?
        var toolCalls: [WireCallDelta]?
        enum CodingKeys: String, CodingKey {
            case content, reasoning
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }
    }

    struct WireCallDelta: Decodable {
        var index: Int?
        var id: String?
        var function: Function?
        struct Function: Decodable {
            var name: String?
            var arguments: JSONValue?
        }
    }

    struct WireUsage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        var promptTokensDetails: Details?
        struct Details: Decodable {
            var cachedTokens: Int?
            enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
        }
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case promptTokensDetails = "prompt_tokens_details"
        }
    }
}

/// The failing outcomes of `decodeChunk`, as an `Error` so they fit a `Result`.
struct OutcomeFailure: Error {
    var outcome: ChatChunkDecoder.Outcome
    init(_ outcome: ChatChunkDecoder.Outcome) { self.outcome = outcome }
}
