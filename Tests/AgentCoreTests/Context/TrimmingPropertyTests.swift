import AgentCore
import AgentProtocol
import Testing

/// Random conversations with tool-call groups, trimmed under random budgets, turn after turn:
/// the invariants hold for every one.
@Suite("Trimming properties")
struct TrimmingPropertyTests {
    let estimator = TokenEstimator()

    /// A conversation whose message `i` has content starting with "#i ", so outputs map back.
    func randomConversation(_ generator: inout SeededGenerator) -> [Message] {
        var messages: [Message] = []
        func body(_ generator: inout SeededGenerator) -> String {
            String(repeating: "w", count: Int.random(in: 0...800, using: &generator))
        }
        func add(_ message: Message) {
            var tagged = message
            tagged.content = "#\(messages.count) " + message.content
            messages.append(tagged)
        }
        if Int.random(in: 0..<5, using: &generator) > 0 { add(.system(body(&generator))) }
        var callNumber = 0
        for _ in 0..<Int.random(in: 1...10, using: &generator) {
            add(.user(body(&generator)))
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                let ids = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    callNumber += 1
                    return "call_\(callNumber)"
                }
                add(.assistant(body(&generator), toolCalls: ids.map { ToolCall(id: $0, name: "read_file", arguments: "{}") }))
                for id in ids { add(.toolResult(id: id, name: "read_file", content: body(&generator))) }
            }
            if Bool.random(using: &generator) { add(.assistant(body(&generator))) }
        }
        return messages
    }

    func originalIndex(_ message: Message) -> Int {
        Int(message.content.dropFirst().prefix { $0 != " " }) ?? -1
    }

    @Test func invariantsHoldForRandomConversations() {
        var generator = SeededGenerator(seed: 2026)
        for caseNumber in 0..<400 {
            let conversation = randomConversation(&generator)
            let budget = Int.random(in: 100...3_000, using: &generator)
            var trimmer = ContextTrimmer(keepRecent: Int.random(in: 0...6, using: &generator))
            // The same trimmer over growing prefixes of the conversation, as turns go by.
            var end = 1
            while end <= conversation.count {
                let messages = Array(conversation[..<end])
                let result = trimmer.select(messages, budget: budget) { estimator.tokens(in: $0) }
                check(result, of: messages, budget: budget, label: "case \(caseNumber), \(end) messages")
                end += Int.random(in: 1...4, using: &generator)
            }
        }
    }

    func check(_ result: TrimResult, of messages: [Message], budget: Int, label: String) {
        let kept = result.messages.map(originalIndex)
        let keptSet = Set(kept)
        // A subsequence of the input, in order, with honest bookkeeping.
        #expect(kept == kept.sorted() && keptSet.count == kept.count, "\(label)")
        #expect(result.omittedCount == messages.count - kept.count, "\(label)")
        #expect(result.estimatedTokens == estimator.tokens(in: result.messages), "\(label)")

        // It always fits, unless the system prompt and the last user message alone do not.
        var must = Set<Int>()
        if messages.first?.role == .system { must.insert(0) }
        if let last = messages.lastIndex(where: { $0.role == .user }) { must.insert(last) }
        let mustCost = estimator.tokens(in: must.map { messages[$0] })
        #expect(result.fits == (mustCost <= budget) || !result.fits && mustCost > budget, "\(label)")
        if mustCost <= budget {
            #expect(result.estimatedTokens <= budget, "\(label): \(result.estimatedTokens) > \(budget)")
            #expect(must.isSubset(of: keptSet), "\(label)")
        }

        // Tool calls and results travel together, matched by id.
        let callOwner: [String: Int] = Dictionary(
            messages.indices.flatMap { index in messages[index].toolCalls.map { ($0.id, index) } },
            uniquingKeysWith: { first, _ in first })
        for index in kept where messages[index].role == .tool {
            let owner = messages[index].toolCallID.flatMap { callOwner[$0] }
            #expect(owner.map(keptSet.contains) == true, "\(label): result \(index) without its call")
        }
        for index in kept {
            for call in messages[index].toolCalls {
                // A prefix may end before a call's result arrived; the loop never sends that.
                guard let resultIndex = messages.firstIndex(where: { $0.toolCallID == call.id }) else { continue }
                #expect(keptSet.contains(resultIndex), "\(label): call \(call.id) without its result")
            }
        }
    }
}
