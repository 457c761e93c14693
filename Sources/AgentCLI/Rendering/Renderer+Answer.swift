import MarkdownTerminal

/// The answer itself: streamed through the markdown renderer on a colour terminal, or written
/// as it came; erased when its attempt is voided.
extension Renderer {
    func showAnswer(_ piece: String) {
        guard options.streamText else { return }
        emit { state in
            var out = Self.clearSpinner(&state)
            if state.inReasoning {
                state.inReasoning = false
                out += "\n\n"
                state.attemptText += "\n\n"
                state.atLineStart = true
            }
            guard state.markdown != nil else {
                out += piece
                state.attemptText += piece
                state.atLineStart = piece.hasSuffix("\n")
                return out
            }
            if state.markdown?.hasStarted == false && !state.atLineStart {
                out += "\n"
                state.attemptText += "\n"
            }
            // Mutated in place (optional chaining), so the stream's buffers are never copied.
            state.markdown?.width = options.width()
            out += state.markdown?.feed(piece) ?? ""
            state.atLineStart = state.markdown?.isAtLineStart ?? true
            return out
        }
    }

    /// Renders what the markdown stream still holds (the line in progress, a table) so that
    /// what follows starts on a fresh line; the next text starts a new answer.
    func endAnswer(_ state: inout State) -> String {
        guard state.markdown?.hasStarted == true else { return "" }
        state.markdown?.width = options.width()
        let out = state.markdown?.finish() ?? ""
        state.atLineStart = true
        return out
    }

    /// A voided attempt (the connection dropped and the request is retried): its text is erased
    /// on a terminal, so the retried answer replaces it instead of repeating it.
    func eraseAttempt() {
        emit { state in
            var out = Self.clearSpinner(&state)
            let markdownRows = state.markdown.flatMap { $0.hasStarted ? $0.cursorRow : nil }
            state.markdown?.reset()
            out += erase(rawText: state.attemptText, markdownRows: markdownRows)
            state.attemptText = ""
            state.inReasoning = false
            state.atLineStart = true
            state.waiting = true
            return out
        }
    }

    /// Moves the cursor back over what the attempt showed and clears to the end of the screen,
    /// with styles reset. Off a terminal it says what happened instead.
    private func erase(rawText: String, markdownRows: Int?) -> String {
        guard !rawText.isEmpty || markdownRows != nil else { return "" }
        guard options.isTTY else { return "\n[connection lost: the partial answer above is discarded, retrying]\n" }
        let width = options.width()
        var rows = 0
        for line in rawText.split(separator: "\n", omittingEmptySubsequences: false) {
            rows += DisplayWidth.rows(columns: DisplayWidth.columnsWithTabs(line), width: width)
        }
        let up = rows - 1 + (markdownRows ?? 0)
        return style.reset + (up > 0 ? "\r\u{1B}[\(up)A" : "\r") + "\u{1B}[J"
    }
}
