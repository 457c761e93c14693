import AgentProtocol

extension LoadedSession {
    /// The conversation as it is sent from now on: every original message, with the latest
    /// compaction applied (the first user message, the summary, then the messages from its
    /// `through` on). Without a compaction, the originals. The same layout the loop had after
    /// compacting, so a resumed session sends what the last run would have sent.
    public var sentMessages: [Message] {
        guard let compaction = compactions.last else { return messages }
        return Self.applying(compaction, to: messages)
    }

    /// `messages` with `compaction` applied; unchanged when the record does not fit them (the
    /// reader has already set such records aside).
    static func applying(_ compaction: SessionCompaction, to messages: [Message]) -> [Message] {
        guard compaction.through <= messages.count, compaction.afterMessages <= messages.count,
            let first = messages.firstIndex(where: { $0.role == .user }),
            let through = turnStart(atOrBefore: compaction.through, after: first, in: messages)
        else { return messages }
        var result = Array(messages[...first])
        result.reserveCapacity(first + 2 + messages.count - through)
        result.append(
            SummaryPrompt.summaryMessage(compaction.summary, replacing: through - first - 1, createdAt: compaction.createdAt))
        for index in through..<messages.count {
            var message = messages[index]
            // Kept-stretch positions written before the compaction refer to the old layout.
            if index < compaction.afterMessages { message.metadata.trimmedFrom = nil }
            result.append(message)
        }
        return result
    }

    /// The writer cuts at the start of a turn; should `through` be elsewhere (a message it held
    /// that the file lacks), the start of the turn holding it, so a tool call is never sent
    /// without its results: a few summarised messages are then sent as well, none is lost.
    /// Nil when no turn starts after the first user message.
    private static func turnStart(atOrBefore through: Int, after first: Int, in messages: [Message]) -> Int? {
        var index = through
        while index > first + 1, index < messages.count, messages[index].role != .user { index -= 1 }
        return index > first + 1 ? index : nil
    }
}
