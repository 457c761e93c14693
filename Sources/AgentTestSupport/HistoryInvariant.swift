import AgentProtocol

/// Checks the rule OpenAI enforces with a 400: every assistant tool call is answered by a tool
/// result with its id before the next non-tool message, and no tool result stands without its call.
public enum HistoryInvariant {
    /// Violations found in a request's `messages` array, empty when it is well formed.
    public static func violations(in messages: [JSONValue]) -> [String] {
        var problems: [String] = []
        var pending: [String] = []
        for (i, message) in messages.enumerated() {
            guard let object = message.objectValue, let role = object["role"]?.stringValue else {
                problems.append("message \(i) has no role")
                continue
            }
            if role == "tool" {
                let id = object["tool_call_id"]?.stringValue ?? ""
                if let at = pending.firstIndex(of: id) {
                    pending.remove(at: at)
                } else {
                    problems.append("message \(i): tool result '\(id)' without a matching call")
                }
                continue
            }
            if !pending.isEmpty {
                problems.append("message \(i) (\(role)) comes before results for \(pending.joined(separator: ", "))")
                pending.removeAll()
            }
            if role == "assistant", case .array(let calls)? = object["tool_calls"] {
                pending = calls.compactMap { $0.objectValue?["id"]?.stringValue }
            }
        }
        if !pending.isEmpty { problems.append("calls without results at the end: \(pending.joined(separator: ", "))") }
        return problems
    }
}
