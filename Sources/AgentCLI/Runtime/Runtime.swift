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
    let colorEnabled: Bool
    /// AGENTS.md files and custom commands of the project agent started in.
    let project: ProjectContext

    var settings: Settings { resolved.settings }

    init(resolved: ResolvedConfig) throws {
        try resolved.checkKeyTransport()
        self.resolved = resolved
        let s = resolved.settings
        llm = LLMConfig(
            model: s.model, endpoint: s.endpoint, apiPath: s.apiPath, apiKey: resolved.apiKey,
            requestTimeout: s.timeout, connectTimeout: s.connectTimeout, temperature: s.temperature,
            maxTokens: s.maxTokens, maxRetries: s.retry.maxRetries, backoffBase: s.retry.backoffBase,
            backoffMax: s.retry.backoffMax, streamIdleTimeout: s.retry.streamIdleTimeout,
            api: WireAPI(rawValue: s.api.rawValue) ?? .auto, contextWindow: s.contextWindow)
        approval = s.tools.approval
        secrets = Secrets(
            names: [s.apiKeyEnv].compactMap { $0 }, knownValues: [resolved.apiKey].compactMap { $0 },
            environment: ProcessInfo.processInfo.environment)
        workspace = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        store = SessionStore(directory: URL(fileURLWithPath: resolved.sessionsDirectory))
        colorEnabled = s.color
        project = ProjectContext.load(workspace: workspace, configDirectory: resolved.paths.configDirectory)
    }

    /// Colour (and markdown rendering) only on a terminal that is not `TERM=dumb`, and not when
    /// `color` is off (`--no-color`, `NO_COLOR`).
    func style(isTTY: Bool) -> Style { Style(enabled: isTTY && colorEnabled && !Terminal.isDumb) }

    /// The configured or built-in prompt, without the project's AGENTS.md files.
    var baseSystemPrompt: String { settings.systemPrompt ?? SystemPrompt.standard(workspace: workspace.path) }

    /// What the model gets as its system message: the base prompt, then the AGENTS.md files.
    var systemPrompt: String { project.instructions.appended(to: baseSystemPrompt) }

    /// The conversation to start from. Sessions store what was said, not the system prompt, so a
    /// resumed session gets today's prompt (its workspace path may have changed). A compacted
    /// session starts from its summary (`LoadedSession.sentMessages`).
    func initialMessages(resumed: LoadedSession?) -> [Message] {
        guard let resumed else { return [.system(systemPrompt)] }
        let sent = resumed.sentMessages
        if sent.first?.role == .system { return sent }
        return [.system(systemPrompt)] + sent
    }

    func makeLoop(client: LLMClient, approver: (any Approver)?, recorder: (any ConversationRecorder)?,
                  messages: [Message], checkpointer: Checkpointer? = nil) -> AgentLoop {
        let s = settings
        // In range: the config layer caps every duration at 1,000,000 s.
        let shellTimeout = Duration.milliseconds(Int(min(max(s.tools.shellTimeout, 0.001), 1_000_000) * 1000))
        let options = AgentLoop.Options(
            approval: approval,
            toolContext: ToolContext(workspace: workspace, shellTimeout: shellTimeout, secrets: secrets),
            context: ContextOptions(
                maxTokens: s.maxTokens, thresholdTokens: s.truncation.thresholdTokens, keepRecent: s.truncation.keepRecent),
            changeTracker: checkpointer,
            compaction: CompactionOptions(auto: s.compaction.auto, autoAt: s.compaction.autoAt))
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

    /// What pruning at start has to say: what it removed, or why it left everything alone.
    enum PruneNote {
        case removed(String)
        case warning(String)
    }

    /// Removes old sessions as configured and says so; never silently (other agents lost months
    /// of transcripts to a silent sweep). Checkpoints of sessions that are gone go with them.
    func pruneAtStart(keeping id: String?) -> PruneNote? {
        let s = settings.sessions
        let removed: [SessionSummary]
        do throws(SessionError) {
            removed = try store.prune(keep: s.keep, maxAgeDays: s.maxAgeDays, except: id, dryRun: false, now: Date())
            // Only from a listing that worked: an empty one would make every checkpoint an orphan.
            CheckpointPruner.prune(checkpointsDirectory: checkpointsDirectory, existingSessions: try store.sessionIDs())
        } catch {
            return .warning("warning: old sessions and checkpoints were left alone: \(error)")
        }
        guard !removed.isEmpty else { return nil }
        return .removed("Removed \(removed.count) old session\(removed.count == 1 ? "" : "s") "
            + "(sessions.keep = \(s.keep), sessions.max_age_days = \(s.maxAgeDays); change them in the config to keep more).")
    }

    /// Finds the session to resume, or explains why not.
    func findResume(_ request: ResumeRequest) throws(SessionError) -> SessionSummary? {
        switch request {
        case .latest: return try store.latest(workingDirectory: workspace)
        case .id(let id): return try store.resolve(idOrPrefix: id, movingUnreadableAside: true)
        }
    }
}
