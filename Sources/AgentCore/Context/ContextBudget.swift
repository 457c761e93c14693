import AgentProtocol

/// How many tokens the history may take in one request: the window, less room for the answer,
/// the tool schemas and a safety margin, and at most the optional lower cap
/// (`truncation.threshold_tokens`).
///
/// This is the figure a compactor works against: a history whose (calibrated) estimate stays
/// under `historyTokens` is sent whole.
public struct ContextBudget: Sendable, Equatable {
    public var window: ContextWindow
    /// Room kept for the answer: `max_tokens` when set (at most half the window), else
    /// `answerShare` of the window, at most `answerCap` tokens.
    public var answerReserve: Int
    public var toolTokens: Int
    /// `marginShare` of the window, at least `minimumMargin`: what the estimate may still be off by.
    public var margin: Int
    public var lowerCap: Int?

    /// A quarter of the window: a long answer on a small model (1,024 of 4,096 tokens).
    public static let answerShare = 0.25
    /// On large windows a quarter would be wasted: 8,192 tokens is a long answer.
    public static let answerCap = 8_192
    public static let marginShare = 0.05
    public static let minimumMargin = 64

    public init(window: ContextWindow, maxTokens: Int?, toolTokens: Int, lowerCap: Int?) {
        self.window = window
        let size = max(0, window.tokens)
        if let maxTokens {
            answerReserve = min(max(0, maxTokens), size / 2)
        } else {
            answerReserve = min(Int(Double(size) * Self.answerShare), Self.answerCap)
        }
        self.toolTokens = max(0, toolTokens)
        margin = max(Self.minimumMargin, Int(Double(size) * Self.marginShare))
        self.lowerCap = lowerCap
    }

    /// The most the messages of one request may take.
    public var historyTokens: Int {
        let room = max(0, window.tokens - answerReserve - toolTokens - margin)
        return lowerCap.map { min(room, max(0, $0)) } ?? room
    }
}
