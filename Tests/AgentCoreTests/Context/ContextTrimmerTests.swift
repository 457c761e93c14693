import AgentCore
import AgentProtocol
import Testing

@Suite("Context trimming")
struct ContextTrimmerTests {
    /// One token per 4 bytes and no overheads, so a message of 40 "x" costs exactly 10.
    let estimator = TokenEstimator(bytesPerToken: 4, perMessageOverhead: 0, perToolCallOverhead: 0)

    func text(_ tag: String, tokens: Int = 10) -> String {
        tag + String(repeating: "x", count: tokens * 4 - tag.utf8.count)
    }

    func select(_ trimmer: inout ContextTrimmer, _ messages: [Message], budget: Int) -> TrimResult {
        trimmer.select(messages, budget: budget) { estimator.tokens(in: $0) }
    }

    @Test func aConversationUnderTheBudgetIsSentWhole() {
        var trimmer = ContextTrimmer(keepRecent: 1)
        let messages: [Message] = [.system(text("s")), .user(text("u")), .assistant(text("a"))]
        let result = select(&trimmer, messages, budget: 30)
        #expect(result.messages == messages)
        #expect(result.omittedCount == 0)
        #expect(result.estimatedTokens == 30)
        #expect(trimmer.keptFrom == nil)
    }

    @Test func pastTheBudgetItTrimsToTheShareAndThePinnedMessagesStay() {
        var trimmer = ContextTrimmer(keepRecent: 0)
        var messages: [Message] = [.system(text("s")), .user(text("u1"))]
        for turn in 2...9 { messages += [.assistant(text("a\(turn - 1)")), .user(text("u\(turn)"))] }
        // 18 messages of 10 = 180 > 100: pinned s, u1, u9 (30), then newest first up to 60.
        let result = select(&trimmer, messages, budget: 100)
        #expect(result.messages.map(\.content) == [text("s"), text("u1"), text("a7"), text("u8"), text("a8"), text("u9")])
        #expect(result.estimatedTokens == 60)
        #expect(result.fits)
    }

    /// The point of trimming in steps: later turns keep the same prefix until the budget is
    /// passed again, so a server's prompt cache keeps serving it.
    @Test func theKeptPrefixStaysTheSameForTheNextTurns() {
        var trimmer = ContextTrimmer(keepRecent: 0)
        var messages: [Message] = [.system(text("s")), .user(text("u1"))]
        for turn in 2...9 { messages += [.assistant(text("a\(turn - 1)")), .user(text("u\(turn)"))] }
        let first = select(&trimmer, messages, budget: 100)
        var previous = first.messages
        for turn in 10...11 {
            messages += [.assistant(text("a\(turn - 1)")), .user(text("u\(turn)"))]
            let next = select(&trimmer, messages, budget: 100)
            // Everything sent before is sent again in the same order (the last user message is now
            // just a message of the stretch), followed by what is new.
            #expect(Array(next.messages.prefix(previous.count)) == previous, "turn \(turn)")
            #expect(next.estimatedTokens <= 100)
            previous = next.messages
        }
        messages += [.assistant(text("a11")), .user(text("u12")), .assistant(text("a12")), .user(text("u13"))]
        let retrimmed = select(&trimmer, messages, budget: 100)
        #expect(retrimmed.estimatedTokens <= 60)
    }

    @Test func toolGroupsAreKeptOrDroppedWhole() {
        var trimmer = ContextTrimmer(keepRecent: 0)
        let call = Message.assistant("", toolCalls: [ToolCall(id: "c1", name: "read", arguments: text("arg"))])
        let messages: [Message] = [
            .user(text("u1")), call, .toolResult(id: "c1", name: "read", content: text("r1")),
            .toolResult(id: "c1", name: "read", content: text("r2")), .assistant(text("a1")), .user(text("u2")),
            .assistant(text("a2")),
        ]
        // Pinned u1 and u2 (20); the current turn's a2 (10); a1 (10) fits the share of 45 (27)? no:
        // 30 + 10 > 27, so the stretch stops there, and the 30-token group is never split.
        let result = select(&trimmer, messages, budget: 45)
        #expect(result.messages.map(\.role) == [.user, .user, .assistant])
        #expect(result.messages.allSatisfy { $0.role != .tool })
    }

    @Test func aLongCurrentTurnLosesItsOldestToolGroupsButNotItsRequest() {
        var trimmer = ContextTrimmer(keepRecent: 2)
        var messages: [Message] = [.system(text("s")), .user(text("first")), .assistant(text("a")), .user(text("now"))]
        for index in 0..<6 {
            messages.append(.assistant("", toolCalls: [ToolCall(id: "c\(index)", name: "t", arguments: "{}")]))
            messages.append(.toolResult(id: "c\(index)", name: "t", content: text("r\(index)")))
        }
        let result = select(&trimmer, messages, budget: 70)
        #expect(result.messages.prefix(3).map(\.content) == [text("s"), text("first"), text("now")])
        #expect(result.messages.last?.content == text("r5"))
        #expect(result.estimatedTokens <= 70)
        #expect(result.omittedCount > 0)
    }

    @Test func anOversizedToolResultIsCutHeadAndTailInWhatIsSent() {
        var trimmer = ContextTrimmer(keepRecent: 4)
        let huge = "HEAD" + String(repeating: "m", count: 4000) + "TAIL"
        let messages: [Message] = [
            .system(text("s")), .user(text("u")),
            .assistant("", toolCalls: [ToolCall(id: "c", name: "read", arguments: "{}")]),
            .toolResult(id: "c", name: "read", content: huge),
        ]
        let result = select(&trimmer, messages, budget: 400)
        let sent = try! #require(result.messages.last)
        #expect(sent.content.hasPrefix("HEAD"))
        #expect(sent.content.hasSuffix("TAIL"))
        #expect(sent.content.contains("bytes of this tool result cut here"))
        #expect(estimator.tokens(in: sent) <= 100)
        #expect(result.estimatedTokens <= 400)
        #expect(messages[3].content == huge, "the input (the journal's copy) is never changed")
        // And the same cut again next time, so the prefix stays cacheable.
        #expect(select(&trimmer, messages, budget: 400).messages.last == sent)
    }

    @Test func whenEvenTheLastUserMessageCannotFitItSaysSo() {
        var trimmer = ContextTrimmer()
        let result = select(&trimmer, [.system(text("s")), .user(text("u", tokens: 100))], budget: 50)
        #expect(!result.fits)
    }

    @Test func cutsKeepCharactersWhole() {
        let text = String(repeating: "é👋", count: 500)
        let cut = ToolResultCut.cut(text, keepBytes: 101)
        #expect(!cut.contains("\u{FFFD}"))
        #expect(cut.utf8.count < 300)
        #expect(ToolResultCut.cut("short", keepBytes: 100) == "short")
    }
}

@Suite("Context budget and calibration")
struct ContextBudgetTests {
    @Test func theBudgetLeavesRoomForTheAnswerTheToolsAndAMargin() {
        let window = ContextWindow(tokens: 4096, source: .llamaCppProps)
        let budget = ContextBudget(window: window, maxTokens: nil, toolTokens: 600, lowerCap: nil)
        #expect(budget.answerReserve == 1024)
        #expect(budget.margin == 204)
        #expect(budget.historyTokens == 4096 - 1024 - 600 - 204)
        #expect(ContextBudget(window: window, maxTokens: 100, toolTokens: 0, lowerCap: nil).answerReserve == 100)
        #expect(ContextBudget(window: window, maxTokens: 100_000, toolTokens: 0, lowerCap: nil).answerReserve == 2048)
        #expect(ContextBudget(window: window, maxTokens: nil, toolTokens: 0, lowerCap: 500).historyTokens == 500)
        let big = ContextBudget(window: ContextWindow(tokens: 131_072, source: .vllm), maxTokens: nil, toolTokens: 0, lowerCap: nil)
        #expect(big.answerReserve == ContextBudget.answerCap)
        #expect(ContextBudget(window: ContextWindow(tokens: 100, source: .configured), maxTokens: nil, toolTokens: 500,
                              lowerCap: nil).historyTokens == 0)
    }

    @Test func calibrationStartsHarshAndConvergesOnTheServersCounts() {
        var calibration = TokenCalibration()
        // Before any count: 3 bytes a token (and the headroom), more than the estimator's 4.
        #expect(calibration.tokens(1000) >= 1333)
        // The server says 800 for what the estimator called 1000: believed for a first count.
        calibration.observe(estimated: 1000, reported: 800)
        #expect(calibration.tokens(1000) == 840)
        // A higher count is believed at once; a lower one only halfway.
        calibration.observe(estimated: 1000, reported: 1000)
        #expect(calibration.ratio == 1.0)
        calibration.observe(estimated: 1000, reported: 900)
        #expect(calibration.ratio == 0.95)
        for _ in 0..<20 { calibration.observe(estimated: 1000, reported: 900) }
        #expect(abs(calibration.ratio - 0.9) < 0.001)
    }

    @Test func implausibleCountsAreIgnored() {
        var calibration = TokenCalibration()
        calibration.observe(estimated: 1000, reported: 3)  // a prompt served from a cache
        calibration.observe(estimated: 1000, reported: 0)
        calibration.observe(estimated: 1000, reported: -50)
        calibration.observe(estimated: 1000, reported: 100_000)
        calibration.observe(estimated: 10, reported: 9)  // too small to say anything
        #expect(calibration.samples == 0)
        #expect(calibration.ratio == 4.0 / 3.0)
    }
}
