import AgentCore
import Foundation
import ModelClient

/// The start-up steps the REPL and one-shot mode share: find the session to resume, clean up
/// old sessions (saying so), and check the server before the first prompt.
extension Runtime {
    struct Resumed {
        var session: LoadedSession?
        var journal: SessionJournal?
    }

    /// Opens the session asked for. An unreadable file was moved aside and a fresh session
    /// starts; any other failure (no such id, an ambiguous prefix) is a usage error.
    func openResume(_ request: ResumeRequest?, style: Style) -> Result<Resumed, ExitStatus> {
        guard let request else { return .success(Resumed()) }
        do {
            guard let summary = try findResume(request) else {
                Output.err(style.dim("No earlier session in this directory; starting a new one.") + "\n")
                return .success(Resumed())
            }
            let (journal, session) = try store.open(id: summary.id)
            if let note = session.damageNote { Output.err(style.yellow(note) + "\n") }
            return .success(Resumed(session: session, journal: journal))
        } catch {
            Output.err("agent: \(error)\n")
            guard case .unreadable = error else { return .failure(.usage) }
            Output.err("agent: starting a new session\n")
            return .success(Resumed())
        }
    }

    /// Creates the client and runs preflight; prints the one-line reason and returns nil when
    /// the server or the model is not there. While a server is still loading its model a status
    /// line on stderr says so. The model's window is learned in the background from here on.
    func connect() async -> (client: LLMClient, active: LLMClient, model: String)? {
        let client = LLMClient(config: llm)
        let status = StatusLine(enabled: Terminal.stderrIsTTY)
        do {
            let model = try await client.preflight(onWaiting: { status.show("agent: waiting: \($0)…") }).model
            status.clear()
            let active = model == llm.model ? client : client.withModel(model)
            active.beginDiscovery()
            return (client, active, model)
        } catch {
            status.clear()
            Output.err("agent: \(error)\n")
            await client.shutdown()
            return nil
        }
    }
}
