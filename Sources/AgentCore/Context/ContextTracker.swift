import AgentProtocol

/// Settings that shape how a conversation is fitted into the model's window.
public struct ContextOptions: Sendable, Equatable {
    /// `max_tokens`: the answer's reserve when set.
    public var maxTokens: Int?
    /// `truncation.threshold_tokens`: an optional lower cap on what the history may take.
    public var thresholdTokens: Int?
    /// `truncation.keep_recent`.
    public var keepRecent: Int

    public init(maxTokens: Int? = nil, thresholdTokens: Int? = nil, keepRecent: Int = 8) {
        self.maxTokens = maxTokens
        self.thresholdTokens = thresholdTokens
        self.keepRecent = keepRecent
    }
}

/// One request, fitted: what is sent and what the estimate said it costs.
struct FittedRequest: Sendable {
    var messages: [Message]
    var tools: [ToolSpec]
    var omitted: Int
    /// The estimator's count of `messages` before calibration, to compare with the server's.
    var rawEstimate: Int
    /// The calibrated estimate of the whole prompt (messages and tool schemas).
    var promptTokens: Int
    var fits: Bool
}

/// Where the conversation stands against the window; what `/session` shows and what a
/// compactor asks ("how much may the history take", "what would be sent now").
public struct ContextStatus: Sendable, Equatable {
    public var budget: ContextBudget
    /// Calibrated estimate of the whole history, as if nothing were left out.
    public var historyTokens: Int
    /// Calibrated estimate of what the next request would carry (messages and tool schemas).
    public var outgoingTokens: Int
    /// Messages the next request would leave out.
    public var omitted: Int
    public var window: ContextWindow { budget.window }
}

/// A user message too large to send even alone.
public struct OversizedMessage: Sendable, Equatable {
    /// Calibrated estimate of the message.
    public var tokens: Int
    /// What the history may take at most (the window less the answer's room, tools and margin).
    public var fitsTokens: Int
    public var window: ContextWindow
    public var model: String

    public init(tokens: Int, fitsTokens: Int, window: ContextWindow, model: String) {
        self.tokens = tokens
        self.fitsTokens = fitsTokens
        self.window = window
        self.model = model
    }
}

/// The loop's knowledge of the model's window: the window itself (discovered, configured or
/// learned from an error), the calibration of the estimate, and the trimmer's stable choice.
struct ContextTracker: Sendable {
    var options: ContextOptions
    let estimator = TokenEstimator()
    private(set) var window: ContextWindow?
    private(set) var supportsTools = true
    var calibration = TokenCalibration()
    private var trimmer: ContextTrimmer

    init(options: ContextOptions) {
        self.options = options
        trimmer = ContextTrimmer(keepRecent: options.keepRecent)
    }

    var isDiscovered: Bool { window != nil }

    mutating func adopt(_ info: ModelInfo) {
        window = info.window ?? .fallback
        supportsTools = info.supportsTools
    }

    /// A window named by the server's refusal; the kept stretch is chosen again.
    mutating func learn(_ learned: ContextWindow) {
        window = learned
        trimmer.reset()
    }

    /// Another model: everything is learned again.
    mutating func forgetModel() {
        window = nil
        supportsTools = true
        calibration = TokenCalibration()
        trimmer.reset()
    }

    /// Another conversation on the same model; a saved one trims from where it did last time.
    mutating func forgetConversation(resuming messages: [Message] = []) {
        trimmer.reset()
        let last = messages.last { $0.role == .assistant }
        trimmer.restore(keptFrom: last?.metadata.trimmedFrom)
    }

    /// Where the kept stretch begins, when trimming has begun.
    var keptFrom: Int? { trimmer.keptFrom }

    func budget(tools: [ToolSpec]) -> ContextBudget {
        ContextBudget(
            window: window ?? .fallback, maxTokens: options.maxTokens, toolTokens: toolTokens(tools),
            lowerCap: options.thresholdTokens)
    }

    func cost(_ message: Message) -> Int { calibration.tokens(estimator.tokens(in: message)) }

    func toolTokens(_ tools: [ToolSpec]) -> Int {
        calibration.tokens(tools.reduce(0) { total, spec in
            total + estimator.tokens(in: spec.name) + estimator.tokens(in: spec.description)
                + estimator.tokens(in: spec.parameters.jsonText) + estimator.perToolCallOverhead
        })
    }

    /// Nil when `text`, with the system prompt, fits what one request may carry.
    func oversized(_ text: String, system: Message?, tools: [ToolSpec], model: String) -> OversizedMessage? {
        let budget = budget(tools: tools)
        let message = cost(.user(text))
        let systemCost = system.map(cost) ?? 0
        guard systemCost + message > budget.historyTokens else { return nil }
        return OversizedMessage(
            tokens: message, fitsTokens: max(0, budget.historyTokens - systemCost), window: budget.window, model: model)
    }

    mutating func fit(_ messages: [Message], tools allTools: [ToolSpec]) -> FittedRequest {
        let tools = supportsTools ? allTools : []
        let budget = budget(tools: tools)
        let calibration = self.calibration
        let estimator = self.estimator
        let trimmed = trimmer.select(messages, budget: budget.historyTokens) { calibration.tokens(estimator.tokens(in: $0)) }
        let sent = HistoryNormalizer.normalize(trimmed.messages)
        return FittedRequest(
            messages: sent, tools: tools, omitted: trimmed.omittedCount, rawEstimate: estimator.tokens(in: sent),
            promptTokens: trimmed.estimatedTokens + budget.toolTokens, fits: trimmed.fits)
    }

    /// What the next request would carry, without moving the kept stretch.
    func status(_ messages: [Message], tools: [ToolSpec]) -> ContextStatus {
        var copy = self
        let fitted = copy.fit(messages, tools: tools)
        let sendable = supportsTools ? tools : []
        return ContextStatus(
            budget: budget(tools: sendable), historyTokens: messages.reduce(0) { $0 + cost($1) },
            outgoingTokens: fitted.promptTokens, omitted: fitted.omitted)
    }
}
