import AgentProtocol

extension RecordedRequest {
    /// The first line of agent's summary requests (AgentCore's `SummaryPrompt.marker`, which a
    /// unit test keeps equal to this; AgentTestSupport does not depend on AgentCore).
    public static let summaryMarker = "agent compaction: summarise a conversation"

    /// A compaction's summary request, rather than a turn.
    public var isSummaryRequest: Bool {
        messages.first?.objectValue?["content"]?.stringValue?.hasPrefix(Self.summaryMarker) == true
    }

    /// The text of every message, in order.
    public var contents: [String] { messages.map { $0.objectValue?["content"]?.stringValue ?? "" } }
}
