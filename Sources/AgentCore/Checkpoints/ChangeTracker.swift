import AgentProtocol

/// Told by the loop when files may change, so they can be put back: before each call of a
/// mutating tool (after it was approved, before it runs), and when each turn ends, however
/// it ended. `Checkpointer` is the implementation; tests may pass their own.
public protocol ChangeTracker: Sendable {
    /// Returns once what `call` may change is recorded (or recording failed and was reported).
    func willChange(_ call: ToolCall, plan: ToolPlan) async
    func turnEnded() async
}
