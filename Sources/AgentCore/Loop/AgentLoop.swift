import AgentProtocol
import Foundation

/// Runs turns: send the conversation, stream the answer, run the tools it calls, feed the
/// results back, until the model answers without a tool call or the round limit is reached.
///
/// Cancel a turn by cancelling the task that awaits `runTurn`: the stream, a running tool and a
/// pending approval all stop, and the history stays valid (every call gets a result).
public actor AgentLoop {
    public struct Options: Sendable {
        public var maxToolRounds: Int
        public var approval: ApprovalMode
        public var toolContext: ToolContext
        /// Chooses what of the conversation is sent; returns how many messages it left out.
        public var truncate: @Sendable ([Message]) -> (messages: [Message], omitted: Int)
        /// Told before each call that may change files, and when each turn ends (checkpoints).
        public var changeTracker: (any ChangeTracker)?

        public init(
            maxToolRounds: Int = 25, approval: ApprovalMode = .ask, toolContext: ToolContext,
            truncate: @escaping @Sendable ([Message]) -> (messages: [Message], omitted: Int) = { ($0, 0) },
            changeTracker: (any ChangeTracker)? = nil
        ) {
            self.maxToolRounds = maxToolRounds
            self.approval = approval
            self.toolContext = toolContext
            self.truncate = truncate
            self.changeTracker = changeTracker
        }
    }

    public private(set) var messages: [Message]
    public private(set) var model: any ChatModel
    public var options: Options
    let tools: [String: any Tool]
    let toolOrder: [String]
    let approver: (any Approver)?
    var recorder: (any ConversationRecorder)?
    /// Tools the user answered "always" for in this session; they apply inside the workspace only.
    var alwaysAllowed: Set<String> = []
    private var lastOmitted = 0
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
    }

    public var toolSpecs: [ToolSpec] { toolOrder.compactMap { tools[$0]?.spec } }
    public var toolList: [(spec: ToolSpec, isMutating: Bool)] {
        toolOrder.compactMap { name in tools[name].map { ($0.spec, $0.isMutating) } }
    }

    public func setModel(_ model: any ChatModel) { self.model = model }
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
    }

    /// Runs one turn for the user's input. Events are delivered synchronously, in order.
    public func runTurn(_ input: String, emit: @escaping @Sendable (AgentEvent) -> Void) async -> TurnOutcome {
        let text = pendingNote.map { "[\($0)]\n\n\(input)" } ?? input
        pendingNote = nil
        let outcome = await runRounds(text, emit: emit)
        await options.changeTracker?.turnEnded()
        return outcome
    }

    private func runRounds(_ input: String, emit: @escaping @Sendable (AgentEvent) -> Void) async -> TurnOutcome {
        await append(.user(input), emit: emit)
        var round = 0
        while true {
            if Task.isCancelled { return .cancelled }
            let step = await streamOneAnswer(emit: emit)
            switch step {
            case .cancelled: return .cancelled
            case .failed(let error): return .failed(error)
            case .answered(let text, let calls):
                if calls.isEmpty { return .answered(text) }
                let ranAll = await runTools(calls, emit: emit)
                if !ranAll { return .cancelled }
                round += 1
                if round >= options.maxToolRounds { return .roundLimitReached(round) }
            }
        }
    }

    /// Adds `message` with every secret masked, records it, and reports it.
    func append(_ message: Message, emit: @Sendable (AgentEvent) -> Void) async {
        var message = message
        let secrets = options.toolContext.secrets
        message.content = secrets.redact(message.content)
        for index in message.toolCalls.indices {
            message.toolCalls[index].arguments = secrets.redact(message.toolCalls[index].arguments)
        }
        messages.append(message)
        await recorder?.record(message)
        emit(.messageAdded(message))
    }

    /// What will be sent for the current conversation.
    func outgoingMessages(emit: @Sendable (AgentEvent) -> Void) -> [Message] {
        let (kept, omitted) = options.truncate(messages)
        if omitted != lastOmitted {
            lastOmitted = omitted
            if omitted > 0 { emit(.truncated(omitted: omitted)) }
        }
        return HistoryNormalizer.normalize(kept)
    }
}
