import AgentProtocol

/// Cuts the messages a compaction replaces into transcript pieces that each fit one summary
/// request, reading them in order and building one piece at a time, so a history of any length
/// costs the memory of one piece.
///
/// A tool result takes at most `resultShare` of a piece (its head and tail); any other message
/// longer than a whole piece is cut the same way. Nothing else is left out.
struct TranscriptPieces: Sendable {
    /// Tokens one piece may take.
    let capacity: Int
    /// The calibrated token count of a text.
    let tokens: @Sendable (String) -> Int

    /// A tool result's share of a piece: file contents matter less to a summary than what was done.
    static let resultShare = 0.25
    static let separator = "\n\n"

    init(capacity: Int, tokens: @escaping @Sendable (String) -> Int) {
        self.capacity = max(1, capacity)
        self.tokens = tokens
    }

    /// How many pieces `messages` make, without keeping them.
    func count(_ messages: ArraySlice<Message>) -> Int {
        var index = messages.startIndex
        var pieces = 0
        while next(messages, from: &index, building: false) != nil { pieces += 1 }
        return pieces
    }

    /// The piece that starts at `index`, which moves past it; nil at the end. With `building`
    /// false the piece's text is not assembled (counting only) and an empty string stands for it.
    func next(_ messages: ArraySlice<Message>, from index: inout Int, building: Bool = true) -> String? {
        guard index < messages.endIndex else { return nil }
        var piece = ""
        var used = 0
        let separatorCost = tokens(Self.separator)
        while index < messages.endIndex {
            let entry = fitted(messages[index])
            let cost = entry.cost + (used > 0 ? separatorCost : 0)
            // Every piece takes at least one entry, which `fitted` made small enough to fit alone.
            if used > 0, used + cost > capacity { break }
            if building {
                if used > 0 { piece += Self.separator }
                piece += entry.text
            }
            used += cost
            index += 1
        }
        return piece
    }

    /// A message's transcript entry, cut to its share of a piece.
    private func fitted(_ message: Message) -> (text: String, cost: Int) {
        let text = SummaryPrompt.entry(message)
        let cost = tokens(text)
        let limit = message.role == .tool ? max(1, Int(Double(capacity) * Self.resultShare)) : capacity
        guard cost > limit else { return (text, cost) }
        let what = message.role == .tool ? "tool result" : "message"
        // Bytes in proportion to the allowed tokens, less room for the note about the cut.
        var keep = Int(Double(text.utf8.count) * Double(limit) / Double(cost) * 0.9) - ToolResultCut.noteBytes
        var cut = ToolResultCut.cut(text, keepBytes: max(0, keep), what: what)
        while tokens(cut) > limit, keep > 0 {
            keep /= 2
            cut = ToolResultCut.cut(text, keepBytes: keep, what: what)
        }
        return (cut, tokens(cut))
    }
}
