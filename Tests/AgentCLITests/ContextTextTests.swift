import AgentCore
import AgentProtocol
import Testing
@testable import AgentCLI

@Suite struct ContextTextTests {
    @Test func theUsageLineShowsHowFullTheWindowIs() {
        let use = ContextUse(usedTokens: 3120, window: ContextWindow(tokens: 8192, source: .llamaCppProps))
        #expect(RenderLines.usage(Usage(promptTokens: 3100, completionTokens: 20), generationSeconds: 0, context: use)
            == "3100 in · 20 out · ctx 3.1k/8.2k")
        #expect(RenderLines.usage(Usage(promptTokens: 10, completionTokens: 5), generationSeconds: 0, context: nil) == "10 in · 5 out")
        #expect(ContextText.compact(850) == "850")
        #expect(ContextText.compact(131_072) == "131k")
        #expect(ContextText.grouped(19_000) == "19,000")
        #expect(ContextText.grouped(4096) == "4,096")
        #expect(ContextText.grouped(100) == "100")
    }

    @Test func theTooBigLineNamesBothSizesAndWhereTheWindowCameFrom() {
        let message = OversizedMessage(
            tokens: 19_000, fitsTokens: 2_200, window: ContextWindow(tokens: 4096, source: .llamaCppProps), model: "smollm2")
        #expect(ContextText.oversized(message)
            == "message is ~19,000 tokens, more than the ~2,200 that fit: smollm2's window is 4,096 tokens "
            + "(from the server's /props); nothing was sent")
    }
}
