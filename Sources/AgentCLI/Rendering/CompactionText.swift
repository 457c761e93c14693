import AgentCore

/// How compaction is put into words: the status line while it runs and the one line after.
enum CompactionText {
    static func progress(_ progress: CompactionProgress) -> String {
        switch progress {
        case .started(let messages, let tokens, _):
            "compacting \(messages) messages (~\(ContextText.grouped(tokens)) tokens)…"
        case .summarising(let part, let parts):
            parts > 1 ? "compacting: summarising part \(part) of \(parts)…" : "compacting: the model is writing the summary…"
        case .merging(let summaries):
            "compacting: merging \(summaries) summaries…"
        }
    }

    /// `Compacted the conversation: 13 messages, ~3,456 tokens → 5 messages, ~1,234 tokens …`
    static func done(_ report: CompactionReport) -> String {
        let why = report.automatic ? " to fit the context window" : ""
        let pieces = report.requests > 1 ? ", in \(report.requests) requests" : ""
        let grouped = ContextText.grouped
        return "Compacted the conversation\(why): \(grouped(report.messagesBefore)) messages, "
            + "~\(grouped(report.tokensBefore)) tokens → \(grouped(report.messagesAfter)) messages, "
            + "~\(grouped(report.tokensAfter)) tokens (a summary stands for \(grouped(report.replaced)) of them\(pieces); "
            + "the session file keeps every message)."
    }

    /// Automatic compaction failed; the turn goes on trimmed.
    static func autoFailed(_ failure: CompactionFailure, retryAfterTurns turns: Int) -> String {
        "Compaction failed: \(failure). Leaving older messages out of this request instead; "
            + "trying again in \(turns) turn\(turns == 1 ? "" : "s")."
    }

    /// `/compact` did not happen; the conversation is as it was.
    static func notDone(_ failure: CompactionFailure) -> String {
        switch failure {
        case .cancelled: "Compaction cancelled; the conversation is unchanged."
        case .nothingToCompact: "Nothing to compact: the conversation is only the first message and the most recent turn."
        case .windowTooSmall, .emptySummary, .request: "Compaction failed: \(failure). The conversation is unchanged."
        }
    }
}
