import AgentCore
import AgentProtocol
import Foundation
import MCPTools
import ModelClient

/// `agent -p`: answers one prompt. The answer goes to stdout, everything else to stderr. On a
/// terminal the answer streams; into a pipe or file it is written once at the end, so a script
/// never sees text from a failed attempt.
struct OneShot {
    let runtime: Runtime
    let format: OutputFormat
    let resume: ResumeRequest?

    /// What a run holds once the server has answered preflight.
    private struct Conversation {
        let client: LLMClient
        let model: String
        let recorder: SessionRecorder
        let loop: AgentLoop
        /// The MCP servers, started while preflight ran; nil when none is configured.
        let mcp: MCPHub?
        /// Checkpoints of the files the turn changes; nil when `tools.checkpoints` is off.
        let checkpointer: Checkpointer?

        /// Saves the session and ends the connections and the MCP servers.
        func close() async {
            await recorder.close()
            await checkpointer?.discardUnsaved()
            await client.shutdown()
            await mcp?.shutdown()
        }
    }

    func run(prompt typed: String) async -> ExitStatus {
        let errStyle = runtime.style(isTTY: Terminal.stderrIsTTY)
        for warning in runtime.project.warnings { Output.err("agent: warning: \(warning)\n") }
        let prompt: String
        switch OneShotPrompt.expand(typed, commands: runtime.project.commands) {
        case .success(let expanded): prompt = expanded
        case .failure(let error):
            Output.err("agent: \(error)\n")
            return .usage
        }
        let conversation: Conversation
        switch await start(errStyle: errStyle) {
        case .success(let value): conversation = value
        case .failure(let status): return status
        }
        let runner = TurnRunner()
        installSignals(runner: runner, conversation: conversation)
        let message: String
        switch await prepare(prompt, loop: conversation.loop, mcp: conversation.mcp, runner: runner) {
        case .success(let text): message = text
        case .failure(let status):
            await conversation.close()
            return status
        }
        let collector = OneShotCollector()
        let outcome = await answer(message, in: conversation, runner: runner, collector: collector, errStyle: errStyle)
        let sessionID = await conversation.recorder.sessionID
        await conversation.close()

        let ending = OneShotEnding(outcome: outcome, terminatingSignal: runner.terminatingSignal)
        let result = collector.result(answer: ending.answer, sessionID: sessionID, model: conversation.model,
                                      interrupted: ending.isInterrupted, error: ending.error)
        Output.out(ending.standardOutput(format: format, streamedText: streamsText, result: result))
        if let error = ending.error { Output.err("agent: \(error)\n") }
        return ending.status
    }

    /// The answer streams only as text onto a terminal.
    private var streamsText: Bool { format == .text && Terminal.stdoutIsTTY }

    /// Styles of the streamed answer (markdown on a colour terminal); none off a terminal.
    private var answerStyle: Style { streamsText ? runtime.style(isTTY: true) : Style(enabled: false) }

    /// Opens the session to resume, prunes old ones, checks the server and sets up the loop.
    private func start(errStyle: Style) async -> Result<Conversation, ExitStatus> {
        let opened: Runtime.Resumed
        switch runtime.openResume(resume, style: errStyle) {
        case .success(let value): opened = value
        case .failure(let status): return .failure(status)
        }
        let resumed = opened.session
        switch runtime.pruneAtStart(keeping: resumed?.id) {
        case .removed(let note)?: Output.err(note + "\n")
        case .warning(let warning)?: Output.err("agent: \(warning)\n")
        case nil: break
        }
        // Servers start while preflight runs.
        let mcp = runtime.startMCP()
        guard let (client, active, model) = await runtime.connect() else {
            await mcp?.shutdown()
            return .failure(.failure)
        }
        let recorder = SessionRecorder(
            store: runtime.store, workingDirectory: runtime.workspace, model: model,
            autosave: runtime.settings.sessions.autosave, journal: opened.journal,
            warn: { Output.err("agent: \($0)\n") })
        let checkpointer = runtime.makeCheckpointer(
            owner: { await recorder.sessionID }, note: { Output.err("agent: \($0)\n") })
        let loop = runtime.makeLoop(client: active, approver: nil, recorder: recorder,
                                    messages: runtime.initialMessages(resumed: resumed), checkpointer: checkpointer)
        return .success(Conversation(client: client, model: model, recorder: recorder, loop: loop, mcp: mcp,
                                     checkpointer: checkpointer))
    }

    /// Ctrl-C cancels the turn (exit 130); SIGTERM/SIGHUP cancel it, save and exit 128 + signal.
    private func installSignals(runner: TurnRunner, conversation: Conversation) {
        let answerStyle = self.answerStyle
        let recorder = conversation.recorder
        let mcp = conversation.mcp
        SignalHandling.install(runner: runner) {
            await recorder.close()
            await mcp?.shutdown()
            Output.out(answerStyle.reset)
        }
    }

    /// Runs the one turn, sending each event where the format wants it: stdout as JSON lines,
    /// the terminal as streamed text, or stderr as notes (tool calls, retries).
    private func answer(_ prompt: String, in conversation: Conversation, runner: TurnRunner,
                        collector: OneShotCollector, errStyle: Style) async -> TurnOutcome {
        let streamsText = self.streamsText
        let renderer = Renderer(options: .init(
            style: answerStyle,
            showReasoning: false, isTTY: streamsText, notesFD: STDERR_FILENO, streamText: streamsText))
        let notes = Renderer(options: .init(style: errStyle, showReasoning: false, isTTY: false,
                                            notesFD: STDERR_FILENO, streamText: false))
        let format = self.format
        let loop = conversation.loop
        let outcome = await runner.run {
            await loop.runTurn(prompt) { event in
                collector.add(event)
                switch format {
                case .streamJSON: Output.out(StreamJSON.line(for: event))
                case .json, .text:
                    if case .usage = event { return }
                    (streamsText ? renderer : notes).handle(event)
                }
            }
        }
        if streamsText {
            renderer.finishTurn()
            await renderer.flushed()
        }
        return outcome
    }
}
