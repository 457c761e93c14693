import AgentConfig
import AgentCore
import AgentProtocol
import Foundation
import ModelClient

enum ResumeRequest: Sendable {
    case latest
    case id(String)
}

/// The effective configuration turned into the engine's types. Builds nothing heavy: the HTTP
/// client is made only when a conversation starts.
struct Runtime: Sendable {
    let resolved: ResolvedConfig
    let llm: LLMConfig
    let approval: ApprovalMode
    /// Credentials kept from tools, the model and the journal.
    let secrets: Secrets
    let workspace: URL
    let store: SessionStore
    let truncator: ConversationTruncator
    let colorEnabled: Bool

    var settings: Settings { resolved.settings }

    init(resolved: ResolvedConfig) throws {
        try resolved.checkKeyTransport()
        self.resolved = resolved
        let s = resolved.settings
        llm = LLMConfig(
            model: s.model, endpoint: s.endpoint, apiPath: s.apiPath, apiKey: resolved.apiKey,
            requestTimeout: s.timeout, connectTimeout: s.connectTimeout, temperature: s.temperature,
            maxTokens: s.maxTokens, maxRetries: s.retry.maxRetries, backoffBase: s.retry.backoffBase,
            backoffMax: s.retry.backoffMax, streamIdleTimeout: s.retry.streamIdleTimeout)
        approval = s.tools.approval
        secrets = Secrets(
            names: [s.apiKeyEnv].compactMap { $0 }, knownValues: [resolved.apiKey].compactMap { $0 },
            environment: ProcessInfo.processInfo.environment)
        workspace = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        store = SessionStore(directory: URL(fileURLWithPath: resolved.sessionsDirectory))
        truncator = ConversationTruncator(thresholdTokens: s.truncation.thresholdTokens, keepRecent: s.truncation.keepRecent)
        colorEnabled = s.color
    }

    func style(isTTY: Bool) -> Style { Style(enabled: isTTY && colorEnabled) }

    var systemPrompt: String { settings.systemPrompt ?? SystemPrompt.standard(workspace: workspace.path) }

    /// The conversation to start from. Sessions store what was said, not the system prompt, so a
    /// resumed session gets today's prompt (its workspace path may have changed).
    func initialMessages(resumed: LoadedSession?) -> [Message] {
        guard let resumed else { return [.system(systemPrompt)] }
        if resumed.messages.first?.role == .system { return resumed.messages }
        return [.system(systemPrompt)] + resumed.messages
    }

    func makeLoop(client: LLMClient, approver: (any Approver)?, recorder: (any ConversationRecorder)?,
                  messages: [Message], checkpointer: Checkpointer? = nil) -> AgentLoop {
        let truncator = self.truncator
        // In range: the config layer caps every duration at 1,000,000 s.
        let shellTimeout = Duration.milliseconds(Int(settings.tools.shellTimeout * 1000))
        let options = AgentLoop.Options(
            approval: approval,
            toolContext: ToolContext(workspace: workspace, shellTimeout: shellTimeout, secrets: secrets),
            truncate: { messages in
                let result = truncator.apply(messages)
                return (result.messages, result.omittedCount)
            },
            changeTracker: checkpointer)
        return AgentLoop(model: client, tools: ToolRegistry.standard().tools, options: options, approver: approver,
                         recorder: recorder, messages: messages)
    }

    /// Where checkpoints of every workspace live: `<state>/checkpoints`.
    var checkpointsDirectory: String { resolved.paths.stateDirectory + "/checkpoints" }

    /// The checkpointer for this run, or nil when `tools.checkpoints` is off. `owner` names the
    /// session the checkpoints belong to; `note` shows a line to the user.
    func makeCheckpointer(owner: @escaping @Sendable () async -> String?,
                          note: @escaping @Sendable (String) -> Void) -> Checkpointer? {
        guard settings.tools.checkpoints else { return nil }
        return Checkpointer(
            workspace: workspace, checkpointsDirectory: checkpointsDirectory,
            excluding: [resolved.paths.stateDirectory, resolved.sessionsDirectory], owner: owner, note: note)
    }

    /// Removes old sessions as configured and says so; never silently (other agents lost months
    /// of transcripts to a silent sweep). Checkpoints of sessions that are gone go with them.
    func pruneAtStart(keeping id: String?) -> String? {
        let s = settings.sessions
        let removed = store.prune(keep: s.keep, maxAgeDays: s.maxAgeDays, except: id, dryRun: false, now: Date())
        CheckpointPruner.prune(checkpointsDirectory: checkpointsDirectory, existingSessions: store.sessionIDs())
        guard !removed.isEmpty else { return nil }
        return "Removed \(removed.count) old session\(removed.count == 1 ? "" : "s") "
            + "(sessions.keep = \(s.keep), sessions.max_age_days = \(s.maxAgeDays); change them in the config to keep more)."
    }

    /// Finds the session to resume, or explains why not.
    func findResume(_ request: ResumeRequest) throws(SessionError) -> SessionSummary? {
        switch request {
        case .latest: return store.latest(workingDirectory: workspace)
        case .id(let id): return try store.resolve(idOrPrefix: id, movingUnreadableAside: true)
        }
    }
}
