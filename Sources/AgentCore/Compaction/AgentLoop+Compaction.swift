import AgentProtocol
import Foundation

/// Compaction in the loop: `/compact` on request, and automatically before a request once the
/// history passes `compaction.auto_at` of what it may take.
///
/// On success the conversation becomes: the system prompt, the first user message, the summary
/// (a marked message), and the kept turns; the recorder writes a compaction record after the
/// messages, which all stay in the session file. On any failure, or when the task is cancelled,
/// nothing changes.
extension AgentLoop {
    /// A summary may take this share of what the history may take, within `summaryTokenRange`.
    static let summaryShare = 0.15
    static let summaryTokenRange = 64...4_096
    /// Compacting automatically must free at least this share of what the history may take;
    /// otherwise (a turn that is big by itself) trimming does the job without a request.
    static let minimumGainShare = 0.1

    /// `/compact [focus]`: everything between the first user message and the most recent turn
    /// is replaced by a summary the model writes, steered by `focus`. `progress` is told how it
    /// goes. Cancel it by cancelling the task; the conversation is then unchanged.
    public func compact(focus: String?, progress: @escaping @Sendable (CompactionProgress) -> Void) async
        -> Result<CompactionReport, CompactionFailure>
    {
        await learnModel()
        guard let plan = CompactionPlan(messages, keepTurns: 1), plan.hasNewMessages else {
            return .failure(.nothingToCompact)
        }
        let focus = focus.flatMap { $0.isEmpty ? nil : $0 }
        return await compact(plan, focus: focus, automatic: false, progress: progress, emit: { _ in })
    }

    /// Compacts before a request when the history passes the configured share, keeping the turn
    /// in progress and the one before it. Returns false when the task was cancelled meanwhile.
    /// A failure is reported, the request goes out trimmed, and the next try waits (see
    /// `AutoCompaction`).
    func compactIfNeeded(emit: @escaping @Sendable (AgentEvent) -> Void) async -> Bool {
        guard options.compaction.auto, autoCompaction.mayTry else { return true }
        let budget = context.budget(tools: sendableTools).historyTokens
        guard Double(historyTokens(messages)) > options.compaction.autoAt * Double(budget),
            let plan = CompactionPlan(messages, keepTurns: 2), plan.hasNewMessages
        else { return true }
        let freed = messages[plan.replaced].reduce(0) { $0 + context.cost($1) } - summaryTokens
        guard freed >= Int(Double(budget) * Self.minimumGainShare) else { return true }
        let progress: @Sendable (CompactionProgress) -> Void = { emit(.compaction(.progress($0))) }
        switch await compact(plan, focus: nil, automatic: true, progress: progress, emit: emit) {
        case .success(let report):
            autoCompaction.succeeded()
            emit(.compaction(.compacted(report)))
        case .failure(.cancelled):
            return false
        case .failure(let failure):
            emit(.compaction(.failed(failure, retryAfterTurns: autoCompaction.failed())))
        }
        return true
    }

    private func compact(
        _ plan: CompactionPlan, focus: String?, automatic: Bool, progress: @escaping @Sendable (CompactionProgress) -> Void,
        emit: @escaping @Sendable (AgentEvent) -> Void
    ) async -> Result<CompactionReport, CompactionFailure> {
        let before = messages
        let compactor = ConversationCompactor(
            model: model, tracker: context, budget: context.budget(tools: []).historyTokens, summaryTokens: summaryTokens)
        let summary: ConversationCompactor.Summary
        do {
            summary = try await compactor.summarise(
                before[plan.replaced], firstUser: before[plan.firstUser].content, focus: focus, progress: progress)
        } catch {
            if case .request(_, let overflow?) = error, let window = overflow.window { learnWindow(window, emit: emit) }
            return .failure(error)
        }
        // Nothing else runs on the conversation meanwhile; should it have, the summary is stale.
        guard !Task.isCancelled, messages.count == before.count else { return .failure(.cancelled) }
        for count in summary.counts { context.calibration.observe(estimated: count.estimated, reported: count.reported) }
        messages = plan.applying(SummaryPrompt.summaryMessage(summary.text, replacing: plan.originalCount), to: before)
        lastOmitted = 0
        context.forgetConversation()
        await recorder?.recordCompaction(
            CompactionEntry(summary: summary.text, keptMessages: before.count - plan.tailStart, focus: focus, automatic: automatic))
        return .success(
            CompactionReport(
                messagesBefore: before.count, messagesAfter: messages.count, tokensBefore: historyTokens(before),
                tokensAfter: historyTokens(messages), replaced: plan.originalCount, requests: summary.requests,
                automatic: automatic))
    }

    /// The tool schemas a request carries (none for a model that cannot call tools).
    var sendableTools: [ToolSpec] { context.supportsTools ? toolSpecs : [] }

    /// The longest summary wanted: a share of what the history may take.
    var summaryTokens: Int {
        let share = Int(Double(context.budget(tools: sendableTools).historyTokens) * Self.summaryShare)
        return min(Self.summaryTokenRange.upperBound, max(Self.summaryTokenRange.lowerBound, share))
    }

    func historyTokens(_ messages: [Message]) -> Int { messages.reduce(0) { $0 + context.cost($1) } }

    /// A summary request the server refused as too large named its window.
    private func learnWindow(_ tokens: Int, emit: @Sendable (AgentEvent) -> Void) {
        let learned = ContextWindow(tokens: tokens, source: .serverError)
        guard learned != context.window else { return }
        context.learn(learned)
        emit(.context(.windowLearned(learned)))
    }
}
