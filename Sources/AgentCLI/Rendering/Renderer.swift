import AgentCore
import AgentProtocol
import Foundation
import Synchronization

/// Shows a turn's events in the terminal: the answer as it streams, reasoning dimmed, a spinner
/// until the first token, tool calls and their results, retries, and a dim usage line.
final class Renderer: Sendable {
    struct Options: Sendable {
        var style: Style
        var showReasoning: Bool
        /// Whether the answer is shown on a terminal (spinner, erasing a voided attempt).
        var isTTY: Bool
        /// Where notes (tools, retries, usage) go: stdout in the REPL, stderr in one-shot mode.
        var notesFD: Int32 = 1
        /// One-shot output to a pipe collects the answer instead of streaming it.
        var streamText = true
    }

    private struct State {
        var spinnerFrame = 0
        var spinnerVisible = false
        var waiting = false
        var inReasoning = false
        /// What was printed of the current attempt, to erase it when the attempt is voided.
        var attemptText = ""
        var atLineStart = true
    }

    private let options: Options
    private let state = Mutex(State())
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(options: Options) { self.options = options }

    private var style: Style { options.style }

    func handle(_ event: AgentEvent) {
        switch event {
        case .waitingForModel:
            state.withLock { $0.waiting = true; $0.attemptText = "" }
        case .text(let piece):
            guard options.streamText else { return }
            write { state in
                var out = Self.clearSpinner(&state)
                if state.inReasoning {
                    state.inReasoning = false
                    out += "\n\n"
                    state.attemptText += "\n\n"
                }
                out += piece
                state.attemptText += piece
                state.atLineStart = piece.hasSuffix("\n")
                return out
            }
        case .reasoning(let piece):
            guard options.showReasoning, options.streamText else { return }
            write { state in
                var out = Self.clearSpinner(&state)
                state.inReasoning = true
                out += style.dim(piece)
                state.attemptText += piece
                state.atLineStart = piece.hasSuffix("\n")
                return out
            }
        case .attemptVoided:
            write { state in
                var out = Self.clearSpinner(&state)
                out += erase(state.attemptText)
                state.attemptText = ""
                state.inReasoning = false
                state.atLineStart = true
                state.waiting = true
                return out
            }
        case .retrying(let notice):
            let seconds = String(format: "%.1f", Double(notice.delay.components.seconds)
                + Double(notice.delay.components.attoseconds) / 1e18)
            note(style.yellow("retrying (\(notice.attempt)/\(notice.maxRetries)) in \(seconds) s: \(notice.reason)"))
        case .truncated(let omitted):
            note(style.dim("(\(omitted) earlier messages left out of the request to fit the context)"))
        case .context(let notice):
            note(style.yellow(ContextText.notice(notice)))
        case .toolStarted(let call, let summary):
            note(style.cyan("⏺ ") + style.bold(summary.isEmpty ? call.name : summary))
        case .toolFinished(_, let output, let isError):
            let first = output.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false).count
            let more = lines > 1 ? " (+\(lines - 1) lines)" : ""
            let text = "  ⎿ " + String(first.prefix(100)) + more
            note(isError ? style.red(text) : style.dim(text))
        case .toolDenied(_, let reason):
            note(style.yellow("  ⎿ " + reason))
        case .usage(let usage, let seconds, let context):
            let line = style.dim(Self.usageLine(usage, seconds: seconds, context: context))
            guard options.notesFD == 1 else {
                state.withLock { _ in Output.write(line + "\n", to: options.notesFD) }
                return
            }
            write { state in
                var out = Self.clearSpinner(&state)
                if !state.atLineStart { out += "\n" }
                state.atLineStart = true
                return out + line + "\n"
            }
        case .messageAdded:
            break
        }
    }

    /// `120 in · 40 out · 31.2 tok/s · ctx 3.1k/8.2k`.
    static func usageLine(_ usage: Usage, seconds: Double, context: ContextUse?) -> String {
        var parts = ["\(usage.promptTokens) in", "\(usage.completionTokens) out"]
        if seconds > 0.05, usage.completionTokens > 0 {
            parts.append(String(format: "%.1f tok/s", Double(usage.completionTokens) / seconds))
        }
        if let context { parts.append(ContextText.usage(context)) }
        return parts.joined(separator: " · ")
    }

    /// Ends the turn's output on a fresh line.
    func finishTurn() {
        write { state in
            var out = Self.clearSpinner(&state)
            state.waiting = false
            if !state.atLineStart { out += "\n" }
            state.atLineStart = true
            state.inReasoning = false
            return out
        }
    }

    /// A line of its own, between streamed text.
    func note(_ line: String) {
        guard options.notesFD != 1 else {
            write { state in
                var out = Self.clearSpinner(&state)
                if !state.atLineStart { out += "\n" }
                state.atLineStart = true
                state.inReasoning = false
                state.attemptText = ""
                return out + line + "\n"
            }
            return
        }
        state.withLock { _ in Output.write(line + "\n", to: options.notesFD) }
    }

    /// Advances the spinner; called by a timer while waiting for the first token.
    func tick() {
        guard options.isTTY else { return }
        write { state in
            guard state.waiting, state.attemptText.isEmpty, state.atLineStart else { return "" }
            state.spinnerFrame = (state.spinnerFrame + 1) % Self.frames.count
            state.spinnerVisible = true
            return "\r" + style.dim(Self.frames[state.spinnerFrame] + " thinking…") + "\u{1B}[K"
        }
    }

    private func write(_ body: (inout State) -> String) {
        state.withLock { state in
            let text = body(&state)
            if !text.isEmpty { Output.out(text) }
        }
    }

    private static func clearSpinner(_ state: inout State) -> String {
        state.waiting = false
        guard state.spinnerVisible else { return "" }
        state.spinnerVisible = false
        return "\r\u{1B}[K"
    }

    /// Moves the cursor back over `text` and clears to the end of the screen, so a retried answer
    /// replaces the failed attempt's instead of repeating it. Off a terminal it says what happened.
    private func erase(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        guard options.isTTY else { return "\n[connection lost: the partial answer above is discarded, retrying]\n" }
        let columns = max(Terminal.columns, 1)
        var rows = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            rows += max(1, (line.count + columns - 1) / columns)
        }
        let up = rows - 1
        return (up > 0 ? "\u{1B}[\(up)F" : "\r") + "\u{1B}[J"
    }
}
