import AgentCore
import AgentProtocol

/// One JSON object per line for `--output-format stream-json`.
enum StreamJSON {
    static func line(for event: AgentEvent) -> String {
        let object: JSONValue? = switch event {
        case .waitingForModel: nil
        case .text(let t): ["type": "text", "text": .string(t)]
        case .reasoning(let t): ["type": "reasoning", "text": .string(t)]
        case .attemptVoided: ["type": "attempt_voided"]
        case .retrying(let n):
            ["type": "retrying", "attempt": .number(Double(n.attempt)), "max_retries": .number(Double(n.maxRetries)),
             "delay_seconds": .number(n.delay.seconds),
             "reason": .string(n.reason)]
        case .truncated(let omitted): ["type": "truncated", "omitted": .number(Double(omitted))]
        case .skippedLines(let count): ["type": "skipped_lines", "count": .number(Double(count))]
        case .toolCallsRefused(let run, let refused):
            ["type": "tool_calls_refused", "run": .number(Double(run)), "refused": .number(Double(refused))]
        case .toolStarted(let call, let summary):
            ["type": "tool_started", "id": .string(call.id), "name": .string(call.name),
             "arguments": .string(call.arguments), "summary": .string(summary)]
        case .toolFinished(let call, let output, let isError):
            ["type": "tool_finished", "id": .string(call.id), "name": .string(call.name), "output": .string(output),
             "is_error": .bool(isError)]
        case .toolDenied(let call, let reason):
            ["type": "tool_denied", "id": .string(call.id), "name": .string(call.name), "reason": .string(reason)]
        case .usage(let u, _, let context): usage(u, context)
        case .context(let notice): ["type": "context", "notice": .string(ContextText.notice(notice))]
        case .compaction(let notice): compaction(notice)
        }
        return object.map { $0.jsonText + "\n" } ?? ""
    }

    /// An automatic compaction: what it did, or why it did not (its progress is not reported).
    private static func compaction(_ notice: CompactionNotice) -> JSONValue? {
        switch notice {
        case .progress: return nil
        case .compacted(let r):
            return ["type": "compaction", "messages_before": .number(Double(r.messagesBefore)),
                    "messages_after": .number(Double(r.messagesAfter)), "tokens_before": .number(Double(r.tokensBefore)),
                    "tokens_after": .number(Double(r.tokensAfter)), "replaced": .number(Double(r.replaced)),
                    "requests": .number(Double(r.requests))]
        case .failed(let failure, let turns):
            return ["type": "compaction_failed", "reason": .string(failure.description),
                    "retry_after_turns": .number(Double(turns))]
        }
    }

    /// The server's counts; the cached share when it says (llama.cpp, OpenAI, recent Ollama),
    /// and how full the window is.
    private static func usage(_ u: Usage, _ context: ContextUse?) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": "usage", "prompt_tokens": .number(Double(u.promptTokens)),
            "completion_tokens": .number(Double(u.completionTokens)),
        ]
        if let cached = u.cachedPromptTokens { object["cached_prompt_tokens"] = .number(Double(cached)) }
        if let context {
            object["context_tokens"] = .number(Double(context.usedTokens))
            object["context_window"] = .number(Double(context.window.tokens))
        }
        return .object(object)
    }
}
