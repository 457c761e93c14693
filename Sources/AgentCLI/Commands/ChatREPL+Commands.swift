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
            showHelp()
        case .exit:
            return .exit
        case .clear, .sessionNew:
            await startFresh()
            renderer.note(style.dim("Started a new conversation."))
        case .model(nil):
            await listModels(loop: loop, client: client)
        case .model(let name?):
            await switchModel(to: name, loop: loop, client: client)
        case .tools:
            await showTools(loop: loop)
        case .approval(let value):
            await approval(value, loop: loop)
        case .save(let title):
            await save(title: title)
        case .session:
            await showSession()
        case .sessionList:
            showSessionList()
        case .sessionLoad(let id):
            await load(id)
        case .undo:
            await undo()
        case .diff:
            await showDiff()
        case .unknown, .usage:
            showMistake(command)
        case .context:
            await showContext()
        case .compact(let focus):
            await compactConversation(focus: focus)
        case .mcp:
            await showMCP()
        case .initProject, .custom:
            await runPromptCommand(command)
        }
        return .handled
    }

    private func showSessionList() {
        do throws(SessionError) {
            renderer.note(SessionTable.render(try runtime.store.list().prefix(20), style: style))
        } catch {
            renderer.note(style.red("Cannot list sessions: \(error)"))
        }
    }

    /// A command that was not one, or was given wrong arguments.
    private func showMistake(_ command: SlashCommand) {
        switch command {
        case .unknown(let name, let suggestion):
            renderer.note(style.red("Unknown command \(name).") + (suggestion.map { " Did you mean \($0)?" } ?? " Type /help."))
        case .usage(let text):
            renderer.note(style.dim(text))
        default:
            break
        }
    }

    /// The commands that are a prompt to the model: /init and the project's custom commands.
    private func runPromptCommand(_ command: SlashCommand) async {
        switch command {
        case .initProject:
            await runTurn(InitCommand.prompt(workspace: runtime.workspace))
            renderer.note(style.dim("AGENTS.md is read when agent starts: restart agent to give it to the model."))
        case .custom(let name, let arguments):
            guard let file = runtime.project.commands.command(named: name) else { return }
            await runTurn(file.prompt(arguments: arguments))
        default:
            break
        }
    }

    private func showHelp() {
        let width = SlashCommand.helpLines.map(\.0.count).max() ?? 10
        let lines = SlashCommand.helpLines.map { name, text in
            "  " + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + style.dim(text)
        }
        renderer.note((["Commands:"] + lines + customCommandHelp()
            + [style.dim("  A line ending in \\ continues; \"\"\" opens a multi-line block; @path attaches a file.")])
            .joined(separator: "\n"))
    }

    private func switchModel(to name: String, loop: AgentLoop, client: LLMClient) async {
        let candidate = client.withModel(name)
        do {
            let resolved = try await candidate.preflight().model
            let active = resolved == name ? candidate : client.withModel(resolved)
            active.beginDiscovery()
            await loop.setModel(active)
            await currentRecorder.get()?.setModel(resolved)
            let window = await loop.contextStatus().window
            renderer.note(style.dim("Now using \(resolved) · window \(ContextText.window(window))."))
        } catch {
            renderer.note(style.red("error: \(error)"))
        }
    }

    private func showTools(loop: AgentLoop) async {
        var lines = ["Tools (approval: \(await loop.options.approval.rawValue)):"]
        for (spec, mutating) in await loop.toolList {
            lines.append("  " + spec.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + style.dim(spec.description + (mutating ? " [asks in ask mode]" : "")))
        }
        renderer.note(lines.joined(separator: "\n"))
    }

    /// `/approval` shows the mode; `/approval MODE` changes it.
    private func approval(_ value: String?, loop: AgentLoop) async {
        guard let value else {
            let mode = await loop.options.approval
            renderer.note("Approval mode: \(mode.rawValue): \(mode.meaning) (ask, auto, read-only or full)")
            return
        }
        guard let mode = ApprovalMode(rawValue: value.lowercased()) else {
            renderer.note(style.red("Unknown approval mode '\(value)'. Use ask, auto, read-only or full."))
            return
        }
        await loop.setApproval(mode)
        let line = "Approval mode is now \(mode.rawValue): \(mode.meaning)."
        renderer.note(mode == .full ? style.yellow(line) : style.dim(line))
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
        let count = await loop.messages.count
        let status = await loop.contextStatus()
        let tokens = "about \(ContextText.grouped(status.historyTokens)) tokens"
        var lines: [String]
        if let journal = await recorder.journal {
            let title = await journal.title ?? "(untitled)"
            lines = ["Session \(journal.id) · \(title)", "  file: \(journal.fileURL.path)", "  messages: \(count) · \(tokens)"]
        } else {
            lines = ["Unsaved session · \(count) messages · \(tokens)"
                + (runtime.settings.sessions.autosave ? "" : " (autosave is off; /save writes it)")]
        }
        if let summary = await loop.messages.first(where: { $0.metadata.summaryOf != nil }) {
            lines.append("  compacted: a summary stands for \(summary.metadata.summaryOf ?? 0) earlier messages (/compact)")
        }
        lines.append("  window: \(ContextText.window(status.window))")
        var next = "  next request: ~\(ContextText.grouped(status.outgoingTokens)) tokens; "
            + "the history may take \(ContextText.grouped(status.budget.historyTokens))"
        if status.omitted > 0 { next += " (\(status.omitted) earlier messages left out)" }
        lines.append(next)
        renderer.note(lines.joined(separator: "\n"))
    }

    /// `/model`: the server's models with their windows, the current one marked.
    private func listModels(loop: AgentLoop, client: LLMClient) async {
        let current = await loop.model.modelName
        let window = await loop.contextStatus().window
        var lines = ["Model: \(current) at \(runtime.llm.endpoint) · window \(ContextText.window(window))"]
        do {
            let listed = try await client.listModels(current: current, currentWindow: window.tokens)
            let width = min(40, listed.map(\.name.count).max() ?? 10)
            lines.append("Models on the server (window in tokens; /model NAME switches):")
            for model in listed {
                let mark = model.name == current || model.name == current + ":latest" ? "*" : " "
                let size = model.window.map(ContextText.grouped) ?? "?"
                lines.append("  \(mark) " + model.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + size)
            }
        } catch {
            lines.append(style.red("Could not list the server's models: \(error)"))
        }
        renderer.note(lines.joined(separator: "\n"))
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
