import AgentProtocol

/// What the user is asked to approve.
public struct ApprovalRequest: Sendable {
    public var call: ToolCall
    public var plan: ToolPlan
    public var isMutating: Bool
    /// Whether "always" may be offered: only inside the workspace. A call that touches a path
    /// outside it asks every time.
    public var allowsAlways: Bool
    /// The tool may act beyond the workspace in ways agent cannot see (`Tool.mayActOutsideWorkspace`).
    public var mayActOutsideWorkspace: Bool

    public init(call: ToolCall, plan: ToolPlan, isMutating: Bool, allowsAlways: Bool = true,
                mayActOutsideWorkspace: Bool = false) {
        self.call = call
        self.plan = plan
        self.isMutating = isMutating
        self.allowsAlways = allowsAlways
        self.mayActOutsideWorkspace = mayActOutsideWorkspace
    }
}

public enum ApprovalAnswer: Sendable {
    case yes
    case no
    /// Yes, and do not ask again for this tool inside the workspace in this session.
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
    /// The conversation was compacted: from now on the messages before the last
    /// `entry.keptMessages` recorded ones (all but the first user message) are sent as the
    /// summary. Recorded in order with the messages; the messages themselves stay.
    func recordCompaction(_ entry: CompactionEntry) async
}

/// Decides, for one call, whether it runs, asks or is denied. Pure, so every mode is tested
/// without a loop.
///
/// | mode | inside the workspace, reads | inside, changes | changes of a tool that may act outside | outside (any tool) |
/// |---|---|---|---|---|
/// | `ask` | run | ask (or run after "always") | ask (or run after "always") | ask, never remembered |
/// | `auto` | run | run | ask (or run after "always") | ask, never remembered |
/// | `full` | run | run | run | run |
/// | `read-only` | run | denied | denied | reads ask; changes denied |
///
/// A tool that names no paths (`run_shell`, an MCP tool) is judged by `isMutating` alone, as
/// a call inside the workspace, unless it may act outside the workspace in ways agent cannot
/// see (`Tool.mayActOutsideWorkspace`: an MCP tool not declared `openWorldHint: false`); `auto`
/// promises no questions only for changes inside the workspace, so such a change asks.
/// "Always" is remembered per tool, never for a call that names a path outside the workspace.
public enum ApprovalPolicy {
    public enum Verdict: Equatable, Sendable {
        case run
        /// Ask the user; `allowsAlways` is false for calls that leave the workspace.
        case ask(allowsAlways: Bool)
        case deny(String)
    }

    public static func verdict(
        mode: ApprovalMode, tool: String, isMutating: Bool, outside: Bool, alwaysAllowed: Set<String>,
        mayActOutside: Bool = false
    ) -> Verdict {
        switch mode {
        case .full:
            return .run
        case .readOnly:
            if isMutating { return .deny("denied: agent is in read-only mode, so \(tool) cannot run") }
            return outside ? .ask(allowsAlways: false) : .run
        case .auto:
            if outside { return .ask(allowsAlways: false) }
            guard isMutating, mayActOutside, !alwaysAllowed.contains(tool) else { return .run }
            return .ask(allowsAlways: true)
        case .ask:
            if outside { return .ask(allowsAlways: false) }
            guard isMutating, !alwaysAllowed.contains(tool) else { return .run }
            return .ask(allowsAlways: true)
        }
    }
}
