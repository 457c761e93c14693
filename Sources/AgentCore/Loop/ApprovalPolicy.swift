import AgentProtocol

/// When tool calls need the user's consent.
public enum ApprovalMode: String, Sendable, CaseIterable {
    /// Mutating tools and paths outside the workspace ask first.
    case ask
    /// Everything runs.
    case auto
    /// Mutating tools are denied; reading outside the workspace still asks.
    case readOnly = "read-only"
}

/// What the user is asked to approve.
public struct ApprovalRequest: Sendable {
    public var call: ToolCall
    public var plan: ToolPlan
    public var isMutating: Bool

    public init(call: ToolCall, plan: ToolPlan, isMutating: Bool) {
        self.call = call
        self.plan = plan
        self.isMutating = isMutating
    }
}

public enum ApprovalAnswer: Sendable {
    case yes
    case no
    /// Yes, and do not ask again for this tool in this session.
    case always
}

/// Asks the user; the terminal front end implements it. Cancelling the task must make it return.
public protocol Approver: Sendable {
    func approve(_ request: ApprovalRequest) async -> ApprovalAnswer
}

/// Receives every message as the conversation grows, so a session store can make it durable.
/// `record` returns once the message is saved (or saving failed and was reported), and the
/// loop sends no request before the messages it carries are recorded.
public protocol ConversationRecorder: Sendable {
    func record(_ message: Message) async
    /// Pieces of text and reasoning of the answer streaming now, reported as they arrive; must not
    /// wait (it runs for every chunk). The recorder decides when to write; the loop does not throttle.
    func recordPartial(appending text: String, reasoning: String)
    /// The answer streaming now was abandoned (its attempt failed and another follows).
    func discardPartial() async
}
