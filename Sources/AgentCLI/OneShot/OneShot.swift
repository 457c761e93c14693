import AgentCore
import AgentProtocol
import Foundation
import ModelClient
import Synchronization

/// `agent -p`: answers one prompt. The answer goes to stdout, everything else to stderr. On a
/// terminal the answer streams; into a pipe or file it is written once at the end, so a script
/// never sees text from a failed attempt.
struct OneShot {
    let runtime: Runtime
    let format: OutputFormat
    let resume: ResumeRequest?

    func run(prompt: String) async -> ExitStatus {
        let errStyle = runtime.style(isTTY: Terminal.stderrIsTTY)
        let opened: Runtime.Resumed
        switch runtime.openResume(resume, style: errStyle) {
        case .success(let value): opened = value
        case .failure(let status): return status
        }
        let resumed = opened.session
        if let note = runtime.pruneAtStart(keeping: resumed?.id) { Output.err(note + "\n") }
        guard let (client, active, model) = await runtime.connect() else { return .failure }
        let recorder = SessionRecorder(
            store: runtime.store, workingDirectory: runtime.workspace, model: model,
            autosave: runtime.settings.sessions.autosave, journal: opened.journal,
            warn: { Output.err("agent: \($0)\n") })
        let checkpointer = runtime.makeCheckpointer(
            owner: { await recorder.sessionID }, note: { Output.err("agent: \($0)\n") })
        let loop = runtime.makeLoop(client: active, approver: nil, recorder: recorder,
                                    messages: runtime.initialMessages(resumed: resumed), checkpointer: checkpointer)

        let runner = TurnRunner()
        SignalHandling.install(
            onInterrupt: { runner.interrupt() },
            onTerminate: { sig in
                Task {
                    await runner.terminate(signal: sig)
                    await recorder.close()
                    exit(128 + sig)
                }
            })

        let collector = OneShotCollector()
        let streamsText = format == .text && Terminal.stdoutIsTTY
        let renderer = Renderer(options: .init(
            style: streamsText ? runtime.style(isTTY: true) : Style(enabled: false),
            showReasoning: false, isTTY: streamsText, notesFD: STDERR_FILENO, streamText: streamsText))
        let notes = Renderer(options: .init(style: errStyle, showReasoning: false, isTTY: false,
                                            notesFD: STDERR_FILENO, streamText: false))
        let format = self.format
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
        if streamsText { renderer.finishTurn() }

        let sessionID = await recorder.sessionID
        await recorder.close()
        await checkpointer?.discardUnsaved()
        await client.shutdown()

        var status: ExitStatus
        var errorText: String?
        var answer = ""
        switch outcome {
        case .answered(let text):
            answer = text
            status = .success
        case .cancelled:
            status = runner.terminatingSignal.map(ExitStatus.signal) ?? .interrupted
        case .failed(let error):
            errorText = "\(error)"
            status = .failure
        case .roundLimitReached(let n):
            errorText = "stopped after \(n) tool rounds (the limit)"
            status = .failure
        }
        let result = collector.result(answer: answer, sessionID: sessionID, model: model,
                                      interrupted: status == .interrupted || status.code > 128, error: errorText)
        switch format {
        case .text:
            if !streamsText && status == .success { Output.out(answer + (answer.hasSuffix("\n") ? "" : "\n")) }
        case .json:
            Output.out(result.jsonText + "\n")
        case .streamJSON:
            var object = result.objectValue ?? [:]
            object["type"] = "result"
            Output.out(JSONValue.object(object).jsonText + "\n")
        }
        if let errorText { Output.err("agent: \(errorText)\n") }
        return status
    }
}
