import AgentProtocol

/// Which messages of a conversation a compaction replaces. Pure, so every shape is tested
/// without a model.
///
/// Kept verbatim: everything up to and including the first user message (the system prompt and
/// the task as the user put it), and the last `keepTurns` turns (a turn starts at a user
/// message). Replaced: everything in between, an earlier summary included. The replaced stretch
/// ends where a turn starts, so a tool call and its results are always on the same side of it.
public struct CompactionPlan: Sendable, Equatable {
    /// The first user message; it and everything before it stay.
    public var firstUser: Int
    /// The messages the summary stands for.
    public var replaced: Range<Int>
    /// How many original messages the replaced ones stand for (an earlier summary counts for
    /// the messages it replaced).
    public var originalCount: Int
    /// Whether anything but an earlier summary would be replaced.
    public var hasNewMessages: Bool

    /// The first kept message after the summary.
    public var tailStart: Int { replaced.upperBound }

    /// Nil when there is nothing to replace: no user message, or no more turns than are kept.
    public init?(_ messages: [Message], keepTurns: Int) {
        guard let first = messages.firstIndex(where: { $0.role == .user }) else { return nil }
        var turnStarts = [first]
        for index in messages.indices where index > first && messages[index].role == .user {
            turnStarts.append(index)
        }
        let keep = max(1, keepTurns)
        guard turnStarts.count > keep else { return nil }
        let tail = turnStarts[turnStarts.count - keep]
        guard tail > first + 1 else { return nil }
        firstUser = first
        replaced = (first + 1)..<tail
        originalCount = messages[replaced].reduce(0) { $0 + ($1.metadata.summaryOf ?? 1) }
        hasNewMessages = messages[replaced].contains { $0.metadata.summaryOf == nil }
    }

    /// The conversation with the replaced messages swapped for `summary`.
    public func applying(_ summary: Message, to messages: [Message]) -> [Message] {
        var result = Array(messages[..<replaced.lowerBound])
        result.reserveCapacity(messages.count - replaced.count + 1)
        result.append(summary)
        for var message in messages[replaced.upperBound...] {
            // Kept-stretch positions refer to the old layout; the trimmer chooses afresh.
            message.metadata.trimmedFrom = nil
            result.append(message)
        }
        return result
    }
}
