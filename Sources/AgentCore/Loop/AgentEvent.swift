import AgentProtocol

/// What happens during a turn, for a front end to show. The loop itself never prints.
public enum AgentEvent: Sendable {
    /// A request is on its way; a front end may show a spinner until the first token.
    case waitingForModel
    case text(String)
    case reasoning(String)
    /// The text and reasoning shown since the last request began are void (the attempt failed and
    /// is being retried); a front end erases or marks them.
    case attemptVoided
    case retrying(RetryNotice)
    /// The server's stream held this many lines that were not chat chunks; they were skipped.
    /// Said once, after the answer: text may be missing from it, so a front end says so.
    case skippedLines(Int)
    /// Earlier messages were left out of the request to fit the model's context window.
    case truncated(omitted: Int)
    /// Something about the window or the model's abilities the user should know, said once.
    case context(ContextNotice)
    /// Automatic compaction before a request: its progress, what it did, or that it failed.
    case compaction(CompactionNotice)
    case toolStarted(ToolCall, summary: String)
    case toolFinished(ToolCall, output: String, isError: Bool)
    case toolDenied(ToolCall, reason: String)
    /// One answer asked for more tool calls than one answer may make: `run` of them run, the
    /// `refused` others were left out of the conversation.
    case toolCallsRefused(run: Int, refused: Int)
    /// Token counts for one request, the seconds from its first token to its end, and how full
    /// the window is after it.
    case usage(Usage, generationSeconds: Double, context: ContextUse?)
}

/// How much of the window a request used: its prompt and answer, out of the window.
public struct ContextUse: Sendable, Equatable {
    public var usedTokens: Int
    public var window: ContextWindow

    public init(usedTokens: Int, window: ContextWindow) {
        self.usedTokens = usedTokens
        self.window = window
    }
}

/// Facts about the window and the model that change what is sent.
public enum ContextNotice: Sendable, Equatable {
    /// The model cannot call tools (Ollama's capabilities say so): requests carry no tool schemas.
    case toolsUnsupported(model: String)
    /// The server refused a request as too large and named (or implied) its window; the request
    /// is trimmed to it and sent again, once.
    case windowLearned(ContextWindow)
}

/// How a turn ended.
public enum TurnOutcome: Sendable {
    /// The model answered without calling a tool.
    case answered(String)
    /// The user cancelled; what streamed so far was kept as an interrupted message.
    case cancelled
    /// The model could not be reached or failed after retries; partial text was kept.
    case failed(any Error)
    /// The model kept calling tools past the round limit.
    case roundLimitReached(Int)
    /// The user's message cannot fit the window even alone: nothing was sent or recorded.
    case tooLarge(OversizedMessage)
}
