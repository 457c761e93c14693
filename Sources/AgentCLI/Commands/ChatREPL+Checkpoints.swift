import AgentCore

/// `/undo` and `/diff`: the REPL side of checkpoints (the work is `Checkpointer`'s).
extension ChatREPL {
    func undo() async {
        guard let checkpointer else {
            renderer.note(style.dim("Checkpoints are off (tools.checkpoints = false), so there is nothing to undo."))
            return
        }
        switch await checkpointer.undo() {
        case .nothing(let reason):
            renderer.note(style.dim(reason))
        case .failed(let reason):
            renderer.note(style.red("error: \(reason)"))
        case .done(let report):
            renderer.note(Self.describe(report, style: style))
            if let note = Self.noteForModel(report) { await loop?.addNote(note) }
        }
    }

    func showDiff() async {
        guard let checkpointer else {
            renderer.note(style.dim("Checkpoints are off (tools.checkpoints = false), so no changes are recorded."))
            return
        }
        switch await checkpointer.lastTurnDiff() {
        case .nothing(let reason):
            renderer.note(style.dim(reason))
        case .failed(let reason):
            renderer.note(style.red("error: \(reason)"))
        case .done(let diff):
            var lines = ["The last turn that changed files changed \(Self.count(diff.changes.count, "file")):"]
            if diff.endUnknown { lines.append(style.yellow("  (its end was not recorded: compared with the files as they are now)")) }
            lines += ApprovalPreview.lines(diff.patch, style: style, maxLines: 500)
            renderer.note(lines.joined(separator: "\n"))
        }
    }

    static func describe(_ report: UndoReport, style: Style) -> String {
        var lines: [String] = []
        if report.restored.isEmpty && report.removed.isEmpty {
            lines.append("Nothing was put back.")
        }
        if !report.restored.isEmpty {
            lines.append("Restored \(count(report.restored.count, "file")): " + shown(report.restored))
        }
        if !report.removed.isEmpty {
            lines.append("Removed \(count(report.removed.count, "file")) the turn created: " + shown(report.removed))
        }
        if !report.leftAlone.isEmpty {
            lines.append(style.yellow("Left alone (changed again after that turn): " + shown(report.leftAlone)))
        }
        if report.endUnknown {
            lines.append(style.yellow("That turn's end was not recorded, so every change since it began was undone."))
        }
        return lines.joined(separator: "\n")
    }

    /// What the model is told with the next input, so it does not build on edits that are gone.
    static func noteForModel(_ report: UndoReport) -> String? {
        let paths = report.restored + report.removed
        guard !paths.isEmpty else { return nil }
        return "The user ran /undo: the file changes of an earlier turn were reverted ("
            + paths.prefix(20).joined(separator: ", ") + (paths.count > 20 ? ", …" : "")
            + "). Read files again before relying on what you wrote before."
    }

    private static func shown(_ paths: [String]) -> String {
        let escaped = paths.prefix(20).map(TerminalText.escapingControls)
        return escaped.joined(separator: ", ") + (paths.count > 20 ? ", … (\(paths.count - 20) more)" : "")
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
