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
    /// Earlier messages were left out of the request to fit `truncation.threshold_tokens`.
    case truncated(omitted: Int)
    case toolStarted(ToolCall, summary: String)
    case toolFinished(ToolCall, output: String, isError: Bool)
    case toolDenied(ToolCall, reason: String)
    /// Token counts for one request and the seconds from its first token to its end.
    case usage(Usage, generationSeconds: Double)
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
}
