import AgentCore
import AgentProtocol
import Foundation
import MCPTools
import ModelClient
import Synchronization

/// The interactive conversation: prompt, stream, tools, slash commands, until Ctrl-D or /exit.
final class ChatREPL {
    let runtime: Runtime
    let resume: ResumeRequest?
    let interactive: Bool
    let style: Style
    let renderer: Renderer
    let editor: LineEditor
    let runner = TurnRunner()
    /// The recorder of the current session, reachable from signal handlers.
    let currentRecorder = RecorderSlot()
    var client: LLMClient?
    var loop: AgentLoop?
    /// The MCP servers, started with agent; their tools join the loop before the first turn.
    var mcp: MCPHub?
    var mcpToolsAdded = false
    /// Checkpoints for `/undo` and `/diff`; nil when `tools.checkpoints` is off.
    var checkpointer: Checkpointer?

    init(runtime: Runtime, resume: ResumeRequest?) {
        self.runtime = runtime
        self.resume = resume
        interactive = Terminal.stdinIsTTY
        let isTTY = Terminal.stdoutIsTTY
        style = runtime.style(isTTY: isTTY)
        renderer = Renderer(options: .init(style: style, showReasoning: runtime.settings.showReasoning, isTTY: isTTY))
        let (renderer, style) = (renderer, style)
        editor = LineEditor(historyFile: runtime.resolved.historyFile, interactive: interactive,
                            warn: { renderer.note(style.yellow($0)) })
    }

    func run(initialPrompt: String?) async -> ExitStatus {
        let opened: Runtime.Resumed
        switch runtime.openResume(resume, style: style) {
        case .success(let value): opened = value
        case .failure(let status): return status
        }
        let resumed = opened.session
        switch runtime.pruneAtStart(keeping: resumed?.id) {
        case .removed(let note)?: Output.err(style.dim(note) + "\n")
        case .warning(let warning)?: Output.err(style.yellow(warning) + "\n")
        case nil: break
        }
        // Servers start while preflight runs; nothing waits for them before the first prompt.
        mcp = runtime.startMCP()
        for warning in runtime.project.warnings { Output.err(style.yellow("warning: " + warning) + "\n") }
        guard let (client, active, model) = await runtime.connect() else { return await shutdown(.failure) }
        self.client = client

        let recorder = makeRecorder(model: model, journal: opened.journal)
        let approver = interactive ? TerminalApprover(editor: editor, style: style, renderer: renderer) : nil
        let messages = runtime.initialMessages(resumed: resumed)
        let recorderBox = currentRecorder
        let renderer = self.renderer
        let style = self.style
        checkpointer = runtime.makeCheckpointer(
            owner: { await recorderBox.get()?.sessionID }, note: { renderer.note(style.yellow($0)) })
        let loop = runtime.makeLoop(client: active, approver: approver, recorder: recorder, messages: messages,
                                    checkpointer: checkpointer)
        self.loop = loop
        installSignals()

        printBanner(model: model)
        if let resumed { showResumed(resumed) }

        return await converse(loop: loop, initialPrompt: initialPrompt)
    }

    /// Reads lines and answers them until end of input, `/exit` or a terminating signal.
    private func converse(loop: AgentLoop, initialPrompt: String?) async -> ExitStatus {
        // Keys typed before libedit takes the terminal stay raw bytes for it (see enterTurnMode).
        if interactive {
            Terminal.enterTurnMode()
            LineEditor.installCompletion(commands: SlashCommand.names + runtime.project.commands.commands.map { "/" + $0.name })
        }
        var pending = initialPrompt
        while true {
            let input: LineInput
            if let first = pending {
                pending = nil
                input = .line(first)
            } else {
                showMCPNotices()
                input = await editor.read(prompt: prompt(model: await loop.model.modelName),
                                          continuation: style.enabled ? "\u{01}\u{1B}[2m\u{02}... \u{01}\u{1B}[0m\u{02}" : "... ")
            }
            switch input {
            case .endOfInput:
                if interactive { Output.out("\n") }
                return await shutdown(.success)
            case .interrupted:
                continue
            case .line(let line):
                let text = line.trimmedWhitespace()
                if text.isEmpty { continue }
                if let command = SlashCommand.parse(text, custom: runtime.project.commands) {
                    if await handle(command) == .exit { return await shutdown(.success) }
                } else {
                    await runTurn(text)
                }
                if let sig = runner.terminatingSignal { return await shutdown(.signal(sig)) }
            }
        }
    }

    func makeRecorder(model: String, journal: SessionJournal?) -> SessionRecorder {
        let style = self.style
        let renderer = self.renderer
        let recorder = SessionRecorder(
            store: runtime.store, workingDirectory: runtime.workspace, model: model,
            autosave: runtime.settings.sessions.autosave, journal: journal,
            warn: { renderer.note(style.yellow($0)) })
        currentRecorder.set(recorder)
        return recorder
    }

    func runTurn(_ typed: String) async {
        guard let loop else { return }
        let renderer = self.renderer
        if interactive { Terminal.enterTurnMode() }
        await addMCPTools()
        // A SIGTERM/SIGHUP during the wait for MCP servers: its handler saves and exits; no turn
        // may start beside it (it would record the message while the handler closes the journal).
        guard runner.terminatingSignal == nil, let text = await attachMentions(typed) else { return }
        let spinner = Task {
            while !Task.isCancelled {
                renderer.tick()
                try? await Task.sleep(for: .milliseconds(80))
            }
        }
        let outcome = await runner.run { await loop.runTurn(text, emit: renderer.handle) }
        spinner.cancel()
        renderer.finishTurn()
        await renderer.flushed()
        switch outcome {
        case .answered: break
        case .cancelled: renderer.note(style.dim("(interrupted; the partial answer is kept)"))
        case .failed(let error): renderer.note(style.red("error: \(error)") + style.dim("  (what arrived is kept)"))
        case .roundLimitReached(let n):
            renderer.note(style.yellow("Stopped after \(n) tool rounds (the limit). Say \"continue\" to let it go on."))
        case .tooLarge(let oversized):
            // The text stays in the line history (↑ brings it back to shorten it).
            renderer.note(style.red("error: " + ContextText.oversized(oversized)))
        }
    }

    private func installSignals() {
        let runner = self.runner
        let recorderBox = currentRecorder
        let reset = style.reset
        let mcp = self.mcp
        SignalHandling.install(runner: runner) {
            await recorderBox.get()?.close()
            await mcp?.shutdown()
            Terminal.restoreState()
            Output.out(reset + "\n")
        }
    }

    func shutdown(_ status: ExitStatus) async -> ExitStatus {
        await mcp?.shutdown()
        await currentRecorder.get()?.close()
        await checkpointer?.discardUnsaved()
        await client?.shutdown()
        Terminal.restoreState()
        return status
    }

    private func prompt(model: String) -> String {
        guard style.enabled else { return "\(model)> " }
        return "\u{01}\u{1B}[1;36m\u{02}\(model)\u{01}\u{1B}[0m\u{02}> "
    }

    private func printBanner(model: String) {
        guard interactive else { return }
        Output.out(style.dim("agent \(AgentVersion.current) · \(model) at \(runtime.llm.endpoint) · /help for commands, Ctrl-D to exit") + "\n")
        // `full` must never go unnoticed: nothing will ask before a change, anywhere.
        if runtime.approval == .full { Output.out(style.yellow("approval: full: \(ApprovalMode.full.meaning)") + "\n") }
    }

    /// Prints the last few exchanges so the user sees where they were.
    private func showResumed(_ session: LoadedSession) {
        var lines = [style.dim("Resumed session \(session.id) (\(session.messages.count) messages"
            + (session.compactions.isEmpty ? "" : ", compacted: the older ones are sent as a summary")
            + (session.summary.title.map { ", \"\($0)\"" } ?? "") + ")")]
        let visible = session.messages.filter { ($0.role == .user || $0.role == .assistant) && !$0.content.isEmpty }
        for message in visible.suffix(6) {
            var text = message.content.replacingOccurrences(of: "\n", with: " ")
            if text.count > 300 { text = String(text.prefix(300)) + "…" }
            let mark = message.metadata.interrupted ? style.yellow(" [interrupted]") : ""
            lines.append(message.role == .user ? style.bold("> ") + text : style.dim(text) + mark)
        }
        Output.out(lines.joined(separator: "\n") + "\n")
    }
}
