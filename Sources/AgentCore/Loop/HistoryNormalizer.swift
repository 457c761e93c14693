import AgentProtocol

/// Makes a history safe to send: every assistant tool call is followed by a result for its id,
/// and no tool result stands without its call (servers answer 400 otherwise).
///
/// The loop already records "aborted" and "denied" results when they happen; this is the net
/// under it, for histories from older sessions or a truncation edge.
public enum HistoryNormalizer {
    public static let missingResult = "aborted: the call did not run"

    public static func normalize(_ messages: [Message]) -> [Message] {
        var out: [Message] = []
        out.reserveCapacity(messages.count)
        var pending: [ToolCall] = []

        func closePending() {
            for call in pending {
                out.append(.toolResult(id: call.id, name: call.name, content: missingResult))
            }
            pending.removeAll()
        }

        for message in messages {
            if message.role == .tool {
                guard let id = message.toolCallID, let at = pending.firstIndex(where: { $0.id == id }) else {
                    continue  // orphan result: its call is not in what we send
                }
                pending.remove(at: at)
                out.append(message)
                continue
            }
            closePending()
            out.append(message)
            if message.role == .assistant { pending = message.toolCalls }
        }
        closePending()
        return out
    }
}
