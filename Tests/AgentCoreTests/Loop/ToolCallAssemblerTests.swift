import AgentProtocol
import Testing
@testable import AgentCore

@Suite struct ToolCallAssemblerTests {
    @Test func fragmentsByIndex() {
        var a = ToolCallAssembler(makeID: { "gen" })
        a.add(ToolCallDelta(index: 0, id: "x", name: "read_file", arguments: "{\"pa"))
        a.add(ToolCallDelta(index: 1, id: "y", name: "list_dir", arguments: "{}"))
        a.add(ToolCallDelta(index: 0, arguments: "th\":1}"))
        #expect(a.finish().calls == [
            ToolCall(id: "x", name: "read_file", arguments: "{\"path\":1}"),
            ToolCall(id: "y", name: "list_dir", arguments: "{}"),
        ])
    }

    /// A server streaming thousands of calls: the first `maxCalls` are kept, the rest counted
    /// once each however many fragments they arrive in.
    @Test func callsPastTheLimitAreCountedNotKept() {
        var a = ToolCallAssembler(makeID: { "gen" })
        for i in 0..<100_000 {
            a.add(ToolCallDelta(index: i, id: "c\(i)", name: "read_file", arguments: "{\"pa"))
            a.add(ToolCallDelta(index: i, arguments: "th\":\"x\"}"))
        }
        let (calls, dropped) = a.finish()
        #expect(calls.count == ToolCallAssembler.maxCalls && dropped == 0)
        #expect(calls.last == ToolCall(id: "c63", name: "read_file", arguments: "{\"path\":\"x\"}"))
        #expect(a.refusedCount == 100_000 - ToolCallAssembler.maxCalls)
    }

    @Test func wholeCallsWithoutIndexOrID() {
        var counter = 0
        var a = ToolCallAssembler(makeID: { "g" + String(Int.random(in: 0...1_000_000)) })
        a.add(ToolCallDelta(name: "echo", arguments: "{\"text\":\"1\"}"))
        a.add(ToolCallDelta(name: "echo", arguments: "{\"text\":\"2\"}"))
        let calls = a.finish().calls
        counter = calls.count
        #expect(counter == 2)
        #expect(calls[0].id != calls[1].id)
    }

    @Test func sameIndexWithNewIDIsANewCall() {
        var a = ToolCallAssembler()
        a.add(ToolCallDelta(index: 0, id: "a", name: "echo", arguments: "{}"))
        a.add(ToolCallDelta(index: 0, id: "b", name: "echo", arguments: "{}"))
        #expect(a.finish().calls.map(\.id) == ["a", "b"])
    }

    @Test func callsWithoutANameAreDropped() {
        var a = ToolCallAssembler()
        a.add(ToolCallDelta(index: 0, arguments: "{}"))
        let (calls, dropped) = a.finish()
        #expect(calls.isEmpty)
        #expect(dropped == 1)
    }
}

@Suite struct HistoryNormalizerTests {
    @Test func insertsMissingResultsAndDropsOrphans() {
        let history: [Message] = [
            .system("s"), .user("u"),
            .assistant("", toolCalls: [ToolCall(id: "a", name: "t", arguments: "{}"), ToolCall(id: "b", name: "t", arguments: "{}")]),
            .toolResult(id: "a", name: "t", content: "ok"),
            .user("next"),
            .toolResult(id: "zzz", name: "t", content: "orphan"),
        ]
        let out = HistoryNormalizer.normalize(history)
        #expect(out.map(\.role) == [.system, .user, .assistant, .tool, .tool, .user])
        #expect(out[4].toolCallID == "b")
        #expect(out[4].content == HistoryNormalizer.missingResult)
    }
}
