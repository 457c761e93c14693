import AgentCore
import AgentProtocol
import Foundation

/// The text of the renderer's one-line notes, before styling.
enum RenderLines {
    /// The usage line after an answer: tokens in and out, the generation speed, and how full the
    /// window is (`120 in · 40 out · 31.2 tok/s · ctx 3.1k/8.2k`).
    static func usage(_ usage: Usage, generationSeconds seconds: Double, context: ContextUse? = nil) -> String {
        var parts = ["\(usage.promptTokens) in", "\(usage.completionTokens) out"]
        if seconds > 0.05, usage.completionTokens > 0 {
            parts.append(String(format: "%.1f tok/s", Double(usage.completionTokens) / seconds))
        }
        if let context { parts.append(ContextText.usage(context)) }
        return parts.joined(separator: " · ")
    }

    static func retry(_ notice: RetryNotice) -> String {
        let seconds = String(format: "%.1f", notice.delay.seconds)
        return "retrying (\(notice.attempt)/\(notice.maxRetries)) in \(seconds) s: \(notice.reason)"
    }

    /// Lines of the server's stream that were not chat chunks: the answer may lack some text.
    static func skippedLines(_ count: Int) -> String {
        let lines = count == 1 ? "1 line of the server's stream was" : "\(count) lines of the server's stream were"
        return "(\(lines) not a chat chunk and skipped: the answer may be missing text)"
    }

    /// An answer that asked for more tool calls than one answer may make.
    static func toolCallsRefused(run: Int, refused: Int) -> String {
        "(the model asked for \(run + refused) tool calls in one answer; only the first \(run) run)"
    }

    static func truncated(_ omitted: Int) -> String {
        "(\(omitted) earlier messages left out of the request to fit the context)"
    }

    /// A tool's result: its first line (at most 100 characters) and how many lines follow.
    static func toolResult(_ output: String) -> String {
        let first = output.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).count
        let more = lines > 1 ? " (+\(lines - 1) lines)" : ""
        return "  ⎿ " + String(first.prefix(100)) + more
    }
}
