import AgentProtocol

/// Builds the `data:` events an OpenAI-compatible server streams, for fake-server scripts.
public enum SSE {
    static func event(_ json: JSONValue) -> String { "data: \(json.jsonText)\n\n" }

    public static func content(_ text: String) -> String {
        event(["choices": [["index": 0, "delta": ["content": .string(text)]]]])
    }

    public static func reasoning(_ text: String, key: String = "reasoning_content") -> String {
        event(["choices": [["index": 0, "delta": .object([key: .string(text)])]]])
    }

    /// One tool-call delta; pass `arguments` as a fragment of JSON text, or `objectArguments`
    /// to send them as a JSON object the way Ollama does.
    public static func toolCall(
        index: Int? = 0, id: String? = nil, name: String? = nil, arguments: String? = nil,
        objectArguments: JSONValue? = nil
    ) -> String {
        var call: [String: JSONValue] = ["type": "function"]
        if let index { call["index"] = .number(Double(index)) }
        if let id { call["id"] = .string(id) }
        var function: [String: JSONValue] = [:]
        if let name { function["name"] = .string(name) }
        if let arguments { function["arguments"] = .string(arguments) }
        if let objectArguments { function["arguments"] = objectArguments }
        call["function"] = .object(function)
        return event(["choices": [["index": 0, "delta": ["tool_calls": [.object(call)]]]]])
    }

    public static func finish(_ reason: String = "stop") -> String {
        event(["choices": [["index": 0, "delta": [:], "finish_reason": .string(reason)]]])
    }

    public static func usage(prompt: Int, completion: Int) -> String {
        event([
            "choices": [],
            "usage": ["prompt_tokens": .number(Double(prompt)), "completion_tokens": .number(Double(completion))],
        ])
    }

    public static let done = "data: [DONE]\n\n"

    /// A complete answer: each text as one chunk, then finish, usage and [DONE].
    public static func answer(_ pieces: [String], usage: (Int, Int)? = (10, 5)) -> [String] {
        var chunks = pieces.map(content)
        chunks.append(finish())
        if let usage { chunks.append(self.usage(prompt: usage.0, completion: usage.1)) }
        chunks.append(done)
        return chunks
    }
}
