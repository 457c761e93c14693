import AgentProtocol

/// Splits a conversation into the units truncation may drop: an assistant message that made tool
/// calls together with the tool results that follow it, or any other single message.
///
/// Cutting only between groups means a kept tool call always has its results and a kept result
/// always has its call (given an input where that held).
enum MessageGroups {
    /// Consecutive ranges covering `messages` in order.
    static func split(_ messages: [Message]) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var index = messages.startIndex
        while index < messages.endIndex {
            var end = index + 1
            if messages[index].role == .assistant, !messages[index].toolCalls.isEmpty {
                while end < messages.endIndex, messages[end].role == .tool { end += 1 }
            }
            groups.append(index..<end)
            index = end
        }
        return groups
    }
}
