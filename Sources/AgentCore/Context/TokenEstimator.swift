import AgentProtocol

/// A rough, fast count of the tokens messages cost: the decision to truncate and the estimate
/// `/session` shows both use it.
///
/// Four bytes of UTF-8 per token, plus a fixed overhead per message (role and separators) and per
/// tool call. UTF-8 bytes rather than characters: for English text and code the two are the same,
/// and for scripts where one character is often a whole token (Chinese, Japanese) counting bytes
/// errs less. Reasoning in `metadata` is not counted: it is never sent back to the model.
public struct TokenEstimator: Sendable, Equatable {
    public var bytesPerToken: Int
    public var perMessageOverhead: Int
    public var perToolCallOverhead: Int

    public init(bytesPerToken: Int = 4, perMessageOverhead: Int = 4, perToolCallOverhead: Int = 4) {
        self.bytesPerToken = max(1, bytesPerToken)
        self.perMessageOverhead = max(0, perMessageOverhead)
        self.perToolCallOverhead = max(0, perToolCallOverhead)
    }

    /// Rounded up, so any non-empty text costs at least one token.
    public func tokens(in text: String) -> Int {
        (text.utf8.count + bytesPerToken - 1) / bytesPerToken
    }

    public func tokens(in message: Message) -> Int {
        var total = perMessageOverhead + tokens(in: message.content)
        for call in message.toolCalls {
            total += perToolCallOverhead + tokens(in: call.id) + tokens(in: call.name) + tokens(in: call.arguments)
        }
        if let id = message.toolCallID { total += tokens(in: id) }
        if let name = message.name { total += tokens(in: name) }
        return total
    }

    public func tokens(in messages: some Sequence<Message>) -> Int {
        messages.reduce(0) { $0 + tokens(in: $1) }
    }
}
