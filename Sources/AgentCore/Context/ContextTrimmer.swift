import AgentProtocol

/// What to send of a conversation.
public struct TrimResult: Sendable, Equatable {
    /// A subsequence of the conversation, in its order; tool results over their share are cut.
    public var messages: [Message]
    /// Messages of the conversation that are not in `messages`.
    public var omittedCount: Int
    /// The estimate of `messages`, in the cost function's tokens.
    public var estimatedTokens: Int
    /// False only when the system prompt and the last user message alone exceed the budget.
    public var fits: Bool
}

/// Chooses which messages of a long conversation to send so that they fit a budget, and keeps
/// that choice stable so the server's prompt cache keeps serving it.
///
/// Rules, in order of priority:
/// 1. the system prompt (the first message, if its role is system) and the last user message;
/// 2. the first user message, when it fits, and then a compaction's summary (which stands for
///    the messages between it and the kept turns), when it fits;
/// 3. the current turn's tool groups (after the last user message), newest first, up to the
///    budget, then older groups, newest first, up to `trimShare` of it: one unbroken recent
///    stretch, never a tool call without its results or a result without its call; the last
///    `keepRecent` messages may go up to the budget rather than the share;
/// 4. a tool result over `toolResultShare` of the budget is cut (head and tail) in what is sent.
///
/// Trimming happens in steps: once the history passes the budget it is cut to `trimShare` of it,
/// and the start of the kept stretch then stays where it is, turn after turn, until the budget
/// is passed again. So the prefix the server saw last time is the prefix it sees this time, and
/// llama.cpp's and Ollama's KV caches re-read only what is new, instead of the whole prompt.
public struct ContextTrimmer: Sendable, Equatable {
    /// After a trim the history takes this share of the budget (60%), leaving room for several
    /// turns before the next one.
    public static let trimShare = 0.6
    /// No single tool result may take more than a quarter of the budget.
    public static let toolResultShare = 0.25

    public var keepRecent: Int
    /// The first message of the kept stretch since the last trim; nil while everything fits.
    public private(set) var keptFrom: Int?
    /// Cut tool results by message index, so a result is cut the same way in every request.
    private var cuts: [Int: String] = [:]

    public init(keepRecent: Int = 8) {
        self.keepRecent = max(0, keepRecent)
    }

    /// Forgets the kept stretch (a new conversation, another window).
    public mutating func reset() {
        keptFrom = nil
        cuts = [:]
    }

    /// Continues a conversation trimmed before (by another run): the stretch starts where it did.
    public mutating func restore(keptFrom: Int?) {
        self.keptFrom = keptFrom.map { max(0, $0) }
    }

    public mutating func select(_ messages: [Message], budget: Int, cost: (Message) -> Int) -> TrimResult {
        let (sendable, costs) = cutToolResults(messages, budget: budget, cost: cost)
        let total = costs.reduce(0, +)
        if keptFrom == nil, total <= budget {
            return TrimResult(messages: sendable, omittedCount: 0, estimatedTokens: total, fits: true)
        }
        let pins = pinned(messages)
        if var from = keptFrom, from <= messages.count {
            // Never start the stretch at a tool result whose call is left out.
            while from < messages.count, messages[from].role == .tool { from += 1 }
            let chosen = pins.union(from..<messages.count)
            let cost = chosen.reduce(0) { $0 + costs[$1] }
            if cost <= budget { return result(chosen, of: sendable, costs: costs, fits: true) }
        }
        return retrim(messages, sendable: sendable, costs: costs, budget: budget)
    }

    /// The system prompt, the first and last user messages and a compaction's summary.
    private func pinned(_ messages: [Message]) -> Set<Int> {
        var pins = Set<Int>()
        if messages.first?.role == .system { pins.insert(0) }
        if let first = messages.firstIndex(where: { $0.role == .user }) { pins.insert(first) }
        if let summary = Self.summaryIndex(messages) { pins.insert(summary) }
        if let last = messages.lastIndex(where: { $0.role == .user }) { pins.insert(last) }
        return pins
    }

    /// Where a compaction's summary is: right after the first user message, when there is one.
    static func summaryIndex(_ messages: [Message]) -> Int? {
        guard let first = messages.firstIndex(where: { $0.role == .user }), first + 1 < messages.count,
            messages[first + 1].metadata.summaryOf != nil
        else { return nil }
        return first + 1
    }

    private mutating func retrim(_ messages: [Message], sendable: [Message], costs: [Int], budget: Int) -> TrimResult {
        var kept = Set<Int>()
        var used = 0
        let lastUser = messages.lastIndex { $0.role == .user }
        for must in [messages.first?.role == .system ? 0 : nil, lastUser].compactMap({ $0 }) where !kept.contains(must) {
            kept.insert(must)
            used += costs[must]
        }
        guard used <= budget else {
            keptFrom = nil
            return result(kept, of: sendable, costs: costs, fits: false)
        }
        if let first = messages.firstIndex(where: { $0.role == .user }), !kept.contains(first), used + costs[first] <= budget {
            kept.insert(first)
            used += costs[first]
            if let summary = Self.summaryIndex(messages), !kept.contains(summary), used + costs[summary] <= budget {
                kept.insert(summary)
                used += costs[summary]
            }
        }
        let target = Int(Double(budget) * Self.trimShare)
        let recentFrom = messages.count - keepRecent
        var from = messages.count
        for group in MessageGroups.split(messages).reversed() {
            let extra = group.filter { !kept.contains($0) }.reduce(0) { $0 + costs[$1] }
            let inCurrentTurn = lastUser.map { group.lowerBound > $0 } ?? true
            let limit = inCurrentTurn || group.upperBound > recentFrom ? budget : target
            guard used + extra <= limit else { break }
            kept.formUnion(group)
            used += extra
            from = group.lowerBound
        }
        keptFrom = from
        return result(kept, of: sendable, costs: costs, fits: true)
    }

    private func result(_ kept: Set<Int>, of messages: [Message], costs: [Int], fits: Bool) -> TrimResult {
        let selected = kept.sorted()
        return TrimResult(
            messages: selected.map { messages[$0] }, omittedCount: messages.count - selected.count,
            estimatedTokens: selected.reduce(0) { $0 + costs[$1] }, fits: fits)
    }

    /// The messages as they will be sent (long tool results cut) and what each costs.
    private mutating func cutToolResults(_ messages: [Message], budget: Int, cost: (Message) -> Int)
        -> ([Message], [Int])
    {
        let cap = max(64, Int(Double(budget) * Self.toolResultShare))
        var sendable = messages
        var costs: [Int] = []
        costs.reserveCapacity(messages.count)
        for index in messages.indices {
            var itsCost = cost(messages[index])
            if messages[index].role == .tool, itsCost > cap || cuts[index] != nil {
                if cuts[index] == nil {
                    let content = messages[index].content
                    // Bytes in proportion to the allowed share, less room for the note about the cut.
                    let share = Double(content.utf8.count) * Double(cap) / Double(itsCost)
                    let keep = max(0, Int(share * 0.95) - ToolResultCut.noteBytes)
                    cuts[index] = ToolResultCut.cut(content, keepBytes: keep)
                }
                sendable[index].content = cuts[index] ?? messages[index].content
                itsCost = cost(sendable[index])
            }
            costs.append(itsCost)
        }
        return (sendable, costs)
    }
}
