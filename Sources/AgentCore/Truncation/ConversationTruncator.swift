import AgentProtocol

/// What to send after truncation.
public struct TruncationResult: Sendable, Equatable {
    /// A subsequence of the input, in its order.
    public var messages: [Message]
    /// How many input messages are not in `messages`; zero when nothing was dropped.
    public var omittedCount: Int
    /// The estimate for `messages`.
    public var estimatedTokens: Int
    /// Even the messages that are always kept exceed the threshold.
    public var exceedsThreshold: Bool
}

/// Chooses which messages of a long conversation to send. Pure: it never changes the stored
/// conversation, it returns a selection.
///
/// While the estimate of all messages is at most `thresholdTokens`, everything is sent.
/// Past it, the result keeps:
/// 1. always: the system prompt (the first message, if its role is system), the first user
///    message and the last user message;
/// 2. always: the last `keepRecent` messages, widened to whole groups, even over budget;
/// 3. then, walking back from the newest, whole groups while they fit under the threshold;
///    the walk stops at the first group that does not fit, so what is kept is the pinned
///    messages plus one unbroken recent stretch (no holes in the middle of it).
///
/// A group is an assistant message with tool calls plus its following tool results, or any
/// other single message: the result never holds a tool call without its results or a result
/// without its call. When the whole current turn fits, the stretch reaches back past the last user
/// message; when it does not, the oldest tool groups of the turn are dropped rather than sending
/// more than the threshold.
public struct ConversationTruncator: Sendable, Equatable {
    public var thresholdTokens: Int
    public var keepRecent: Int
    public var estimator: TokenEstimator

    public init(thresholdTokens: Int, keepRecent: Int = 4, estimator: TokenEstimator = TokenEstimator()) {
        self.thresholdTokens = thresholdTokens
        self.keepRecent = max(0, keepRecent)
        self.estimator = estimator
    }

    public func apply(_ messages: [Message]) -> TruncationResult {
        let costs = messages.map(estimator.tokens(in:))
        let total = costs.reduce(0, +)
        guard total > thresholdTokens else {
            return TruncationResult(messages: messages, omittedCount: 0, estimatedTokens: total, exceedsThreshold: false)
        }

        var pinned = Set<Int>()
        if messages.first?.role == .system { pinned.insert(0) }
        if let first = messages.firstIndex(where: { $0.role == .user }) { pinned.insert(first) }
        if let last = messages.lastIndex(where: { $0.role == .user }) { pinned.insert(last) }

        var budget = thresholdTokens - pinned.reduce(0) { $0 + costs[$1] }
        var kept = pinned
        let mandatoryFrom = messages.count - keepRecent
        var stretchOpen = true
        for group in MessageGroups.split(messages).reversed() where !pinned.contains(group.lowerBound) {
            let cost = group.reduce(0) { $0 + costs[$1] }
            let mandatory = group.upperBound > mandatoryFrom
            if mandatory || (stretchOpen && cost <= budget) {
                kept.formUnion(group)
                budget -= cost
            } else {
                stretchOpen = false
            }
        }

        let selected = kept.sorted()
        let estimate = selected.reduce(0) { $0 + costs[$1] }
        return TruncationResult(
            messages: selected.map { messages[$0] }, omittedCount: messages.count - selected.count,
            estimatedTokens: estimate, exceedsThreshold: estimate > thresholdTokens)
    }
}
