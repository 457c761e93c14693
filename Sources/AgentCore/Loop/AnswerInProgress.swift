import AgentProtocol

/// The answer being streamed: its text, reasoning, tool-call fragments and counts, as one
/// attempt delivers them. A voided attempt starts it over.
struct AnswerInProgress: Sendable {
    var text = ""
    var reasoning = ""
    var assembler = ToolCallAssembler()
    var usage: Usage?
    var firstToken: ContinuousClock.Instant?

    var isEmpty: Bool { text.isEmpty && reasoning.isEmpty && assembler.isEmpty }

    mutating func markToken() {
        if firstToken == nil { firstToken = .now }
    }

    /// Seconds from the first token to now.
    var generationSeconds: Double {
        firstToken.map { (ContinuousClock.now - $0).seconds } ?? 0
    }
}
