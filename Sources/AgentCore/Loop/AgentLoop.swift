import AgentProtocol
import Foundation

/// Runs turns: send the conversation, stream the answer, run the tools it calls, feed the
/// results back, until the model answers without a tool call or the round limit is reached.
///
/// Every request fits the model's context window (see `ContextTracker`): the window is learned
/// from the model on first use, and a request the server still refuses as too large is trimmed
/// to the window it names and sent again, once.
///
/// Cancel a turn by cancelling the task that awaits `runTurn`: the stream, a running tool and a
/// pending approval all stop, and the history stays valid (every call gets a result).
public actor AgentLoop {
    public struct Options: Sendable {
        public var maxToolRounds: Int
        public var approval: ApprovalMode
        public var toolContext: ToolContext
        public var context: ContextOptions
        /// Told before each call that may change files, and when each turn ends (checkpoints).
        public var changeTracker: (any ChangeTracker)?
        /// When the conversation is compacted without being asked (see `Compaction/`).
        public var compaction: CompactionOptions

        public init(
            maxToolRounds: Int = 25, approval: ApprovalMode = .ask, toolContext: ToolContext,
            context: ContextOptions = ContextOptions(), changeTracker: (any ChangeTracker)? = nil,
            compaction: CompactionOptions = CompactionOptions()
        ) {
            self.maxToolRounds = maxToolRounds
            self.approval = approval
            self.toolContext = toolContext
            self.context = context
            self.changeTracker = changeTracker
            self.compaction = compaction
        }
    }

    public internal(set) var messages: [Message]
    public private(set) var model: any ChatModel
    public var options: Options
    var tools: [String: any Tool]
    var toolOrder: [String]
    let approver: (any Approver)?
    var recorder: (any ConversationRecorder)?
    /// Tools the user answered "always" for in this session; they apply inside the workspace only.
    var alwaysAllowed: Set<String> = []
    var lastOmitted = 0
    var context: ContextTracker
    /// What the last request carried, for the calibration and the usage line.
    var lastSent: FittedRequest?
    /// Turns and failures, for when automatic compaction may try next.
    var autoCompaction = AutoCompaction()
    /// The user was told this model gets no tool schemas.
    private var toldToolsUnsupported = false
    /// Told to the model with the next input (say, that the user undid its changes).
    private var pendingNote: String?

    public init(
        model: any ChatModel, tools: [any Tool], options: Options, approver: (any Approver)?,
        recorder: (any ConversationRecorder)?, messages: [Message]
    ) {
        self.model = model
        self.tools = Dictionary(tools.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.toolOrder = tools.map(\.spec.name)
        self.options = options
        self.approver = approver
        self.recorder = recorder
        self.messages = messages
        self.context = ContextTracker(options: options.context)
        context.forgetConversation(resuming: messages)
    }

    public var toolSpecs: [ToolSpec] { toolOrder.compactMap { tools[$0]?.spec } }
    public var toolList: [(spec: ToolSpec, isMutating: Bool)] {
        toolOrder.compactMap { name in tools[name].map { ($0.spec, $0.isMutating) } }
    }

    /// Another model: its window and abilities are learned again on the next turn.
    public func setModel(_ model: any ChatModel) {
        self.model = model
        context.forgetModel()
        toldToolsUnsupported = false
    }

    public func setApproval(_ mode: ApprovalMode) { options.approval = mode }

    /// Queues `note` to go to the model in front of the user's next input, so it learns about
    /// something that happened outside the conversation (files restored by `/undo`).
    public func addNote(_ note: String) {
        pendingNote = pendingNote.map { $0 + "\n" + note } ?? note
    }

    /// Replaces the conversation (a loaded session, or `/clear`) and where it is recorded.
    public func reset(messages: [Message], recorder: (any ConversationRecorder)?) {
        self.messages = messages
        self.recorder = recorder
        self.alwaysAllowed = []
        self.lastOmitted = 0
        self.pendingNote = nil
        self.autoCompaction = AutoCompaction()
        context.forgetConversation(resuming: messages)
    }

    /// The window, what the history may take, and what the next request would carry; learns the
    /// window first if no turn has yet.
    public func contextStatus() async -> ContextStatus {
        await learnModel()
        return context.status(messages, tools: toolSpecs)
    }

    /// Runs one turn for the user's input. Events are delivered synchronously, in order.
    public func runTurn(_ input: String, emit: @escaping @Sendable (AgentEvent) -> Void) async -> TurnOutcome {
        await learnModel()
        autoCompaction.turnStarted()
        if !context.supportsTools, !toolOrder.isEmpty, !toldToolsUnsupported {
            toldToolsUnsupported = true
            emit(.context(.toolsUnsupported(model: model.modelName)))
        }
        // Masked before anything reads it: a server that counts tokens (llama.cpp's /tokenize)
        // is sent the text too, and an attached file may hold a key.
        let text = options.toolContext.secrets.redact(pendingNote.map { "[\($0)]\n\n\(input)" } ?? input)
        await calibrateBeforeFirstCount(on: text)
        let system = messages.first?.role == .system ? messages.first : nil
        if let oversized = context.oversized(text, system: system, tools: toolSpecs, model: model.modelName) {
            return .tooLarge(oversized)
        }
        pendingNote = nil
        let outcome = await runRounds(text, emit: emit)
        await options.changeTracker?.turnEnded()
        return outcome
    }

    private func runRounds(_ input: String, emit: @escaping @Sendable (AgentEvent) -> Void) async -> TurnOutcome {
        await append(.user(input))
        var round = 0
        var retriedOverflow = false
        while true {
            if Task.isCancelled { return .cancelled }
            guard await compactIfNeeded(emit: emit) else { return .cancelled }
            switch await streamOneAnswer(emit: emit) {
            case .cancelled: return .cancelled
            case .tooLarge(let oversized): return .tooLarge(oversized)
            case .failed(let error):
                guard !retriedOverflow, let overflow = (error as? any ContextOverflowReporting)?.contextOverflow else {
                    return .failed(error)
                }
                retriedOverflow = true
                learn(from: overflow, emit: emit)
            case .answered(let text, let calls):
                retriedOverflow = false
                if calls.isEmpty { return .answered(text) }
                let ranAll = await runTools(calls, emit: emit)
                if !ranAll { return .cancelled }
                round += 1
                if round >= options.maxToolRounds { return .roundLimitReached(round) }
            }
        }
    }

    /// Adds `message` with every secret masked and records it.
    func append(_ message: Message) async {
        var message = message
        let secrets = options.toolContext.secrets
        message.content = secrets.redact(message.content)
        for index in message.toolCalls.indices {
            message.toolCalls[index].arguments = secrets.redact(message.toolCalls[index].arguments)
        }
        messages.append(message)
        await recorder?.record(message)
    }

    /// Asks the model for its window and abilities, once per model.
    func learnModel() async {
        guard !context.isDiscovered else { return }
        let info = await model.modelInfo()
        guard !context.isDiscovered else { return }
        context.adopt(info)
    }

    /// Until a server has reported a prompt size, the estimate errs on the large side, enough to
    /// refuse a message that would fit. A server that counts tokens on request (llama.cpp) is
    /// asked to count the user's text instead, once, before anything is decided on the estimate.
    private func calibrateBeforeFirstCount(on text: String) async {
        let estimated = context.estimator.tokens(in: text)
        guard context.calibration.samples == 0, estimated >= TokenCalibration.minimumSample,
            let counted = await model.countTokens(text)
        else { return }
        context.calibration.observe(estimated: estimated, reported: counted)
    }

    /// The server refused the last request as too large. Its figures teach the window (or, when
    /// it named none, three quarters of what was sent stand in for it) and the calibration.
    func learn(from overflow: ContextOverflow, emit: @Sendable (AgentEvent) -> Void) {
        let sent = lastSent
        if let prompt = overflow.promptTokens, let sent { context.calibration.observe(estimated: sent.rawEstimate, reported: prompt) }
        let current = context.window ?? .fallback
        let tokens = overflow.window ?? max(256, (sent?.promptTokens ?? current.tokens) * 3 / 4)
        let learned = ContextWindow(tokens: tokens, source: .serverError)
        context.learn(learned)
        emit(.context(.windowLearned(learned)))
    }
}
