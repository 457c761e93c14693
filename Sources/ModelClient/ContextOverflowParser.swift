import AgentProtocol
import Foundation

/// Recognises a server's "the prompt does not fit" answer and the figures it names.
///
/// The wordings differ by server, all matched here:
/// - llama.cpp: 400 `{"error":{"type":"exceed_context_size_error","n_ctx":M,"n_prompt_tokens":N,
///   "message":"request (N tokens) exceeds the available context size (M tokens), …"}}`;
/// - OpenAI: `"code":"context_length_exceeded"`, "maximum context length is M tokens. However,
///   your messages resulted in N tokens";
/// - vLLM: "This model's maximum context length is M tokens. However, you requested … (N in the
///   messages, …)", or "… and your request has N input tokens";
/// - LM Studio: "the model is loaded with context length of only M tokens".
enum ContextOverflowParser {
    /// Nil when the answer is not about the context window.
    static func parse(status: Int, body: String, message: String) -> ContextOverflow? {
        guard [400, 413, 422].contains(status) else { return nil }
        let fields = structuredFields(body)
        let lower = message.lowercased()
        let worded = ["context length", "context size", "context window", "maximum model length", "prompt is too long"]
            .contains { lower.contains($0) }
        guard fields.isOverflow || worded else { return nil }
        let window = fields.window ?? firstNumber(in: message, after: windowPatterns)
        let prompt = fields.prompt ?? firstNumber(in: message, after: promptPatterns)
        return ContextOverflow(window: window, promptTokens: prompt, message: message)
    }

    private static let windowPatterns = [
        #"available context size \((\d+) tokens\)"#, #"maximum context length is (\d+)"#,
        #"context length of only (\d+)"#, #"maximum model length of (\d+)"#, #"context window of (\d+)"#,
        #"tokens > (\d+) maximum"#,
    ]
    private static let promptPatterns = [
        #"request \((\d+) tokens\)"#, #"resulted in (\d+) tokens"#, #"\((\d+) in the messages"#,
        #"request has (\d+) input tokens"#, #"prompt \(length (\d+)\)"#, #"keep the first (\d+) tokens"#,
        #"too long: (\d+) tokens"#,
    ]

    /// The first figure any pattern captures, if it is a plausible token count.
    private static func firstNumber(in text: String, after patterns: [String]) -> Int? {
        let range = NSRange(text.startIndex..., in: text)
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                let match = regex.firstMatch(in: text, range: range), match.numberOfRanges > 1,
                let captured = Range(match.range(at: 1), in: text)
            else { continue }
            if let value = tokenCount(String(text[captured])) { return value }
        }
        return nil
    }

    /// Digits only, and within what any model holds (a billion tokens).
    static func tokenCount(_ digits: String) -> Int? {
        guard !digits.isEmpty, digits.count <= 10, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = Int(digits), (1...1_000_000_000).contains(value)
        else { return nil }
        return value
    }

    private struct Fields {
        var isOverflow = false
        var window: Int?
        var prompt: Int?
    }

    /// llama.cpp's and OpenAI's machine-readable fields, when the body is their error object.
    private static func structuredFields(_ body: String) -> Fields {
        guard let data = body.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let error = object["error"] as? [String: Any]
        else { return Fields() }
        var fields = Fields()
        fields.isOverflow = error["type"] as? String == "exceed_context_size_error"
            || error["code"] as? String == "context_length_exceeded"
        fields.window = (error["n_ctx"] as? NSNumber).flatMap { tokenCount($0.stringValue) }
        fields.prompt = (error["n_prompt_tokens"] as? NSNumber).flatMap { tokenCount($0.stringValue) }
        return fields
    }
}
