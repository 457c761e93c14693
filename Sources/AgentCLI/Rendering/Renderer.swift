import AgentCore
import AgentProtocol
import Foundation
import MarkdownTerminal
import Synchronization

/// Shows a turn's events in the terminal: the answer as it streams (markdown rendered line by
/// line on a colour terminal, the exact text elsewhere), reasoning dimmed, a spinner until the
/// first token, tool calls and their results, retries, and a dim usage line.
///
/// State changes happen under a lock; the bytes they produce are queued in the same critical
/// section and written outside it (see `Renderer+Output.swift`), so a terminal that blocks
/// (Ctrl-S, a full pipe) never holds the lock.
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
        /// OSC 8 hyperlinks in rendered links (see `Hyperlinks`).
        var hyperlinks = Hyperlinks.supported(environment: ProcessInfo.processInfo.environment)
        /// Where the bytes go; tests pass a recorder.
        var sink: @Sendable (_ text: String, _ fd: Int32) -> Void = { Output.write($0, to: $1) }
        /// The terminal's width; tests pass a constant.
        var width: @Sendable () -> Int = { TerminalWidth.current }

        /// Markdown is rendered only where styles are shown: off a terminal, with `TERM=dumb`,
        /// `--no-color` or `NO_COLOR`, the answer is written exactly as the model sent it.
        var rendersMarkdown: Bool { style.enabled && isTTY && streamText }
    }

    struct State {
        var spinnerFrame = 0
        var spinnerVisible = false
        var waiting = false
        var inReasoning = false
        /// Raw text shown of the current attempt (reasoning, or an unrendered answer), to erase
        /// it when the attempt is voided; a rendered answer counts its rows itself.
        var attemptText = ""
        var atLineStart = true
        var markdown: MarkdownStream?
        /// Calls whose denial was shown, so that their result (the same denial) is not.
        var deniedCalls: Set<String> = []
        var output = OutputQueue()
    }

    let options: Options
    let state: Mutex<State>
    static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    init(options: Options) {
        self.options = options
        var initial = State()
        if options.rendersMarkdown {
            TerminalWidth.follow()
            initial.markdown = MarkdownStream(width: options.width(), options: .init(hyperlinks: options.hyperlinks))
        }
        state = Mutex(initial)
    }

    var style: Style { options.style }

    func handle(_ event: AgentEvent) {
        switch event {
        case .waitingForModel: startWaiting()
        case .text(let piece): showAnswer(piece)
        case .reasoning(let piece): showReasoning(piece)
        case .attemptVoided: eraseAttempt()
        case .retrying(let notice): note(style.yellow(RenderLines.retry(notice)))
        case .truncated(let omitted): note(style.dim(RenderLines.truncated(omitted)))
        case .skippedLines(let count): note(style.yellow(RenderLines.skippedLines(count)))
        case .toolCallsRefused(let run, let refused): note(style.yellow(RenderLines.toolCallsRefused(run: run, refused: refused)))
        case .toolStarted(let call, let summary): note(style.cyan("⏺ ") + style.bold(summary.isEmpty ? call.name : summary))
        case .toolFinished(let call, let output, let isError): showToolResult(call, output: output, isError: isError)
        case .toolDenied(let call, let reason): showDenial(call, reason: reason)
        case .context(let notice): note(style.yellow(ContextText.notice(notice)))
        case .compaction(let notice): show(notice)
        case .usage(let usage, let seconds, let context): showUsage(usage, seconds: seconds, context: context)
        }
    }

    private func startWaiting() {
        state.withLock { state in
            state.waiting = true
            state.attemptText = ""
        }
    }

    private func showReasoning(_ piece: String) {
        guard options.showReasoning, options.streamText else { return }
        emit { state in
            var out = Self.clearSpinner(&state)
            state.inReasoning = true
            out += style.dim(piece)
            state.attemptText += piece
            state.atLineStart = piece.hasSuffix("\n")
            return out
        }
    }

    /// The loop reports a denial and then the call's result, which is the same denial: it is
    /// shown once, in the denial's colour.
    private func showDenial(_ call: ToolCall, reason: String) {
        state.withLock { _ = $0.deniedCalls.insert(call.id) }
        note(style.yellow("  ⎿ " + reason))
    }

    private func showToolResult(_ call: ToolCall, output: String, isError: Bool) {
        let denied = state.withLock { $0.deniedCalls.remove(call.id) != nil }
        guard !denied else { return }
        let text = RenderLines.toolResult(output)
        note(isError ? style.red(text) : style.dim(text))
    }

    private func showUsage(_ usage: Usage, seconds: Double, context: ContextUse?) {
        let line = style.dim(RenderLines.usage(usage, generationSeconds: seconds, context: context))
        emitPieces { state in
            var out = endAnswer(&state) + Self.clearSpinner(&state)
            guard options.notesFD == 1 else { return [(1, out), (options.notesFD, line + "\n")] }
            if !state.atLineStart { out += "\n" }
            state.atLineStart = true
            return [(1, out + line + "\n")]
        }
    }

    /// Ends the turn's output on a fresh line.
    func finishTurn() {
        emit { state in
            var out = endAnswer(&state) + Self.clearSpinner(&state)
            state.waiting = false
            if !state.atLineStart { out += "\n" }
            state.atLineStart = true
            state.inReasoning = false
            return out
        }
    }

    /// A line of its own, between streamed text.
    func note(_ line: String) {
        emitPieces { state in
            var out = endAnswer(&state) + Self.clearSpinner(&state)
            guard options.notesFD == 1 else { return [(1, out), (options.notesFD, line + "\n")] }
            if !state.atLineStart { out += "\n" }
            state.atLineStart = true
            state.inReasoning = false
            state.attemptText = ""
            return [(1, out + line + "\n")]
        }
    }

    /// Advances the spinner; called by a timer while waiting for the first token.
    func tick() {
        guard options.isTTY else { return }
        emit { state in
            guard state.waiting, state.attemptText.isEmpty, state.atLineStart,
                state.markdown?.hasStarted != true
            else { return "" }
            state.spinnerFrame = (state.spinnerFrame + 1) % Self.frames.count
            state.spinnerVisible = true
            return "\r" + style.dim(Self.frames[state.spinnerFrame] + " thinking…") + "\u{1B}[K"
        }
    }

    static func clearSpinner(_ state: inout State) -> String {
        state.waiting = false
        guard state.spinnerVisible else { return "" }
        state.spinnerVisible = false
        return "\r\u{1B}[K"
    }
}
