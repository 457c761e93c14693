import AgentCore
import AgentProtocol
import Testing

/// Random conversations with tool-call groups, truncated under random limits: the invariants
/// hold for every one.
@Suite("Truncation properties")
struct TruncationPropertyTests {
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
        if Int.random(in: 0..<8, using: &generator) == 0 { add(.assistant("Hello! " + body(&generator))) }
        var callNumber = 0
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
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
        for caseNumber in 0..<600 {
            let messages = randomConversation(&generator)
            let threshold = Int.random(in: 20...3_000, using: &generator)
            let keepRecent = Int.random(in: 0...6, using: &generator)
            let truncator = ConversationTruncator(thresholdTokens: threshold, keepRecent: keepRecent, estimator: estimator)
            let result = truncator.apply(messages)
            check(result, of: messages, truncator: truncator, caseNumber: caseNumber)
        }
    }

    func check(_ result: TruncationResult, of messages: [Message], truncator: ConversationTruncator, caseNumber: Int) {
        let label = "case \(caseNumber)"
        let kept = result.messages.map(originalIndex)
        let keptSet = Set(kept)

        // A subsequence of the input, in order, with honest bookkeeping.
        #expect(kept == kept.sorted() && keptSet.count == kept.count, "\(label)")
        #expect(result.messages == kept.map { messages[$0] }, "\(label)")
        #expect(result.omittedCount == messages.count - kept.count, "\(label)")
        #expect(result.estimatedTokens == estimator.tokens(in: result.messages), "\(label)")
        let total = estimator.tokens(in: messages)
        if total <= truncator.thresholdTokens {
            #expect(result.messages == messages, "\(label)")
            return
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
                let resultIndex = messages.firstIndex { $0.toolCallID == call.id }
                #expect(resultIndex.map(keptSet.contains) == true, "\(label): call \(call.id) without its result")
            }
        }

        // Pinned messages and the recent minimum.
        var required = Set<Int>()
        if messages.first?.role == .system { required.insert(0) }
        if let first = messages.firstIndex(where: { $0.role == .user }) { required.insert(first) }
        if let last = messages.lastIndex(where: { $0.role == .user }) { required.insert(last) }
        #expect(required.isSubset(of: keptSet), "\(label)")
        var recent = Set(max(0, messages.count - truncator.keepRecent)..<messages.count)
        // Widen the recent minimum to whole groups: a result pulls in its call's group.
        for index in recent where messages[index].role == .tool {
            if let owner = messages[index].toolCallID.flatMap({ callOwner[$0] }) {
                recent.formUnion(owner...index)
            }
        }
        #expect(recent.isSubset(of: keptSet), "\(label)")

        // Under the threshold whenever the messages that must stay allow it.
        let mandatory = required.union(recent)
        let mandatoryCost = estimator.tokens(in: mandatory.sorted().map { messages[$0] })
        if mandatoryCost <= truncator.thresholdTokens {
            #expect(result.estimatedTokens <= truncator.thresholdTokens, "\(label)")
            #expect(!result.exceedsThreshold, "\(label)")
        }

        // And not needlessly short: the newest dropped message's group would not have fit.
        if let newestDropped = messages.indices.last(where: { !keptSet.contains($0) }), !result.exceedsThreshold {
            var group = [newestDropped]
            if messages[newestDropped].role == .tool, let owner = messages[newestDropped].toolCallID.flatMap({ callOwner[$0] }) {
                group = Array(owner...newestDropped)
            }
            var end = newestDropped + 1
            if !messages[newestDropped].toolCalls.isEmpty {
                while end < messages.count, messages[end].role == .tool { end += 1 }
                group = Array(newestDropped..<end)
            }
            let cost = estimator.tokens(in: group.map { messages[$0] })
            #expect(result.estimatedTokens + cost > truncator.thresholdTokens, "\(label): dropped \(newestDropped) would have fit")
        }
    }
}
