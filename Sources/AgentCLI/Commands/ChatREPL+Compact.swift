import AgentCore
import Foundation

/// `/compact [focus]`.
extension ChatREPL {
    /// Asks the model to summarise the conversation between the first message and the most
    /// recent turn. A status line shows how it goes; Ctrl-C cancels it and changes nothing. Then
    /// one line: what it did (messages and tokens before → after), or why it did not.
    func compactConversation(focus: String?) async {
        guard let loop else { return }
        if interactive { Terminal.enterTurnMode() }
        let renderer = self.renderer
        let outcome = await runner.runCancellable {
            await loop.compact(focus: focus) { progress in
                renderer.status(CompactionText.progress(progress) + " (Ctrl-C cancels)")
            }
        }
        renderer.clearStatus()
        switch outcome {
        case .success(let report):
            renderer.note(style.dim(CompactionText.done(report)))
        case .failure(let failure):
            let line = CompactionText.notDone(failure)
            switch failure {
            case .nothingToCompact, .cancelled: renderer.note(style.dim(line))
            case .windowTooSmall, .emptySummary, .request: renderer.note(style.red(line))
            }
        }
    }
}
