import AgentCore

/// A transient status line (compaction's progress), on a terminal only.
extension Renderer {
    /// Shows `text` on the current line, replacing the previous status; the next output erases it.
    func status(_ text: String) {
        guard options.isTTY else { return }
        emit { state in
            guard state.atLineStart else { return "" }
            state.spinnerVisible = true
            return "\r" + style.dim(text) + "\u{1B}[K"
        }
    }

    /// Erases the status line, if one is shown.
    func clearStatus() {
        emit { state in Self.clearSpinner(&state) }
    }

    func show(_ notice: CompactionNotice) {
        switch notice {
        case .progress(let progress): status(CompactionText.progress(progress))
        case .compacted(let report): note(style.dim(CompactionText.done(report)))
        case .failed(let failure, let turns): note(style.yellow(CompactionText.autoFailed(failure, retryAfterTurns: turns)))
        }
    }
}
