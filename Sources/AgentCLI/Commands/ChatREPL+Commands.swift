import AgentCore
import AgentProtocol
import Foundation
import ModelClient

extension ChatREPL {
    enum CommandResult { case handled, exit }

    func handle(_ command: SlashCommand) async -> CommandResult {
        guard let loop, let client else { return .handled }
        switch command {
        case .help:
            let width = SlashCommand.helpLines.map(\.0.count).max() ?? 10
            let lines = SlashCommand.helpLines.map { name, text in
                "  " + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + style.dim(text)
            }
            renderer.note((["Commands:"] + lines + [style.dim("  A line ending in \\ continues; \"\"\" opens a multi-line block.")])
                .joined(separator: "\n"))
        case .exit:
            return .exit
        case .clear, .sessionNew:
            await startFresh()
            renderer.note(style.dim("Started a new conversation."))
        case .model(nil):
            renderer.note("Model: \(await loop.model.modelName) at \(runtime.llm.endpoint)")
        case .model(let name?):
            let candidate = client.withModel(name)
            do {
                let resolved = try await candidate.preflight().model
                await loop.setModel(resolved == name ? candidate : client.withModel(resolved))
                await currentRecorder.get()?.setModel(resolved)
                renderer.note(style.dim("Now using \(resolved)."))
            } catch {
                renderer.note(style.red("error: \(error)"))
            }
        case .tools:
            var lines = ["Tools (approval: \(await loop.options.approval.rawValue)):"]
            for (spec, mutating) in await loop.toolList {
                lines.append("  " + spec.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                    + style.dim(spec.description + (mutating ? " [asks in ask mode]" : "")))
            }
            renderer.note(lines.joined(separator: "\n"))
        case .approval(nil):
            let mode = await loop.options.approval
            renderer.note("Approval mode: \(mode.rawValue): \(mode.meaning) (ask, auto, read-only or full)")
        case .approval(let value?):
            guard let mode = ApprovalMode(rawValue: value.lowercased()) else {
                renderer.note(style.red("Unknown approval mode '\(value)'. Use ask, auto, read-only or full."))
                return .handled
            }
            await loop.setApproval(mode)
            let line = "Approval mode is now \(mode.rawValue): \(mode.meaning)."
            renderer.note(mode == .full ? style.yellow(line) : style.dim(line))
        case .save(let title):
            await save(title: title)
        case .session:
            await showSession()
        case .sessionList:
            renderer.note(SessionTable.render(runtime.store.list().prefix(20), style: style))
        case .sessionLoad(let id):
            await load(id)
        case .undo:
            await undo()
        case .diff:
            await showDiff()
        case .unknown(let name, let suggestion):
            renderer.note(style.red("Unknown command \(name).") + (suggestion.map { " Did you mean \($0)?" } ?? " Type /help."))
        case .usage(let text):
            renderer.note(style.dim(text))
        }
        return .handled
    }

    private func startFresh() async {
        guard let loop else { return }
        let old = currentRecorder.get()
        await old?.close()
        let recorder = makeRecorder(model: await loop.model.modelName, journal: nil)
        await loop.reset(messages: [.system(runtime.systemPrompt)], recorder: recorder)
    }

    private func save(title: String?) async {
        guard let recorder = currentRecorder.get() else { return }
        do {
            let journal = try await recorder.saveNow(title: title)
            renderer.note(style.dim("Saved session \(journal.id)" + (title.map { " as \"\($0)\"" } ?? "")
                + " to \(journal.fileURL.path)."))
        } catch {
            renderer.note(style.red("error: \(error)"))
        }
    }

    private func showSession() async {
        guard let loop, let recorder = currentRecorder.get() else { return }
        let messages = await loop.messages
        let tokens = TokenEstimator().tokens(in: messages)
        if let journal = await recorder.journal {
            let title = await journal.title ?? "(untitled)"
            renderer.note("""
                Session \(journal.id) · \(title)
                  file: \(journal.fileURL.path)
                  messages: \(messages.count) · about \(tokens) tokens
                """)
        } else {
            renderer.note("Unsaved session · \(messages.count) messages · about \(tokens) tokens"
                + (runtime.settings.sessions.autosave ? "" : " (autosave is off; /save writes it)"))
        }
    }

    private func load(_ id: String) async {
        guard let loop else { return }
        do {
            let summary = try runtime.store.resolve(idOrPrefix: id, movingUnreadableAside: true)
            let (journal, loaded) = try runtime.store.open(id: summary.id)
            let old = currentRecorder.get()
            await old?.close()
            let recorder = makeRecorder(model: await loop.model.modelName, journal: journal)
            await loop.reset(messages: runtime.initialMessages(resumed: loaded), recorder: recorder)
            renderer.note(style.dim("Loaded session \(loaded.id) (\(loaded.messages.count) messages)."))
            if let note = loaded.damageNote { renderer.note(style.yellow(note)) }
        } catch {
            renderer.note(style.red("error: \(error)"))
        }
    }
}
