import AgentProtocol

/// How far a compaction has got, for a status line.
public enum CompactionProgress: Sendable, Equatable {
    /// About to summarise `messages` (about `tokens` tokens) in `pieces` requests, plus the
    /// requests that merge their summaries when there is more than one.
    case started(messages: Int, tokens: Int, pieces: Int)
    case summarising(part: Int, of: Int)
    /// Merging `summaries` summaries of consecutive pieces into fewer.
    case merging(summaries: Int)
}

/// What a compaction did: the conversation's size in what is sent, before and after.
public struct CompactionReport: Sendable, Equatable {
    public var messagesBefore: Int
    public var messagesAfter: Int
    /// Calibrated estimates of the whole conversation (as if nothing were left out).
    public var tokensBefore: Int
    public var tokensAfter: Int
    /// Original messages the summary stands for (an earlier summary counts for its own).
    public var replaced: Int
    /// Summary requests sent (one, unless the history was summarised in pieces).
    public var requests: Int
    public var automatic: Bool
}

/// Why a compaction did not happen. The conversation is then exactly as it was.
public enum CompactionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Only the first message and the most recent turn (and perhaps an earlier summary) are there.
    case nothingToCompact
    /// Not even one piece and the instruction fit what a request may carry.
    case windowTooSmall(window: Int)
    /// The model answered with no text.
    case emptySummary
    /// The summary request failed; `overflow` when the server refused it as too large.
    case request(String, overflow: ContextOverflow?)
    case cancelled

    public var description: String {
        switch self {
        case .nothingToCompact: "nothing to compact: the conversation is the first message and the most recent turn"
        case .windowTooSmall(let window): "a \(window)-token window cannot hold a summary request"
        case .emptySummary: "the model answered with an empty summary"
        case .request(let reason, _): reason
        case .cancelled: "cancelled"
        }
    }
}

/// What a front end hears about compaction during a turn.
public enum CompactionNotice: Sendable, Equatable {
    case progress(CompactionProgress)
    /// The conversation was compacted before the request (automatically).
    case compacted(CompactionReport)
    /// Automatic compaction failed: this request is trimmed instead, and it is tried again after
    /// `retryAfterTurns` more turns.
    case failed(CompactionFailure, retryAfterTurns: Int)
}
