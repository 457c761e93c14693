import AgentCore
import AgentProtocol
import Foundation
import Testing

@testable import AgentCLI

/// The documented exit codes of `agent -p`, and what each ending writes on stdout.
@Suite("One-shot endings")
struct OneShotEndingTests {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "Cannot reach the server" }
    }

    @Test func exitCodes() {
        let cases: [(TurnOutcome, Int32?, Int32)] = [
            (.answered("hi"), nil, 0),
            (.cancelled, nil, 130),
            (.cancelled, SIGTERM, 143),
            (.cancelled, SIGHUP, 129),
            (.failed(Refused()), nil, 1),
            (.roundLimitReached(25), nil, 1),
        ]
        for (outcome, signal, code) in cases {
            #expect(OneShotEnding(outcome: outcome, terminatingSignal: signal).status.code == code, "\(outcome)")
        }
    }

    @Test func failuresSayWhyInOneLine() {
        #expect(OneShotEnding(outcome: .failed(Refused()), terminatingSignal: nil).error == "Cannot reach the server")
        #expect(OneShotEnding(outcome: .roundLimitReached(25), terminatingSignal: nil).error
            == "stopped after 25 tool rounds (the limit)")
        #expect(OneShotEnding(outcome: .answered("hi"), terminatingSignal: nil).error == nil)
        #expect(OneShotEnding(outcome: .cancelled, terminatingSignal: nil).error == nil)
    }

    @Test func interruptedMeansStoppedNotFailed() {
        #expect(OneShotEnding(outcome: .cancelled, terminatingSignal: nil).isInterrupted)
        #expect(OneShotEnding(outcome: .cancelled, terminatingSignal: SIGTERM).isInterrupted)
        #expect(!OneShotEnding(outcome: .failed(Refused()), terminatingSignal: nil).isInterrupted)
        #expect(!OneShotEnding(outcome: .answered("x"), terminatingSignal: nil).isInterrupted)
    }

    @Test func textIntoAPipeIsTheWholeAnswerOnceWithANewline() {
        let answered = OneShotEnding(outcome: .answered("Hello"), terminatingSignal: nil)
        #expect(answered.standardOutput(format: .text, streamedText: false, result: [:]) == "Hello\n")
        let withNewline = OneShotEnding(outcome: .answered("Hello\n"), terminatingSignal: nil)
        #expect(withNewline.standardOutput(format: .text, streamedText: false, result: [:]) == "Hello\n")
        // Already on the terminal: not written twice.
        #expect(answered.standardOutput(format: .text, streamedText: true, result: [:]) == "")
        // A failed or interrupted run prints no answer text at all.
        let failed = OneShotEnding(outcome: .failed(Refused()), terminatingSignal: nil)
        #expect(failed.standardOutput(format: .text, streamedText: false, result: [:]) == "")
        let stopped = OneShotEnding(outcome: .cancelled, terminatingSignal: SIGTERM)
        #expect(stopped.standardOutput(format: .text, streamedText: false, result: [:]) == "")
    }

    @Test func jsonFormatsPrintTheResultObject() {
        let ending = OneShotEnding(outcome: .answered("Hi"), terminatingSignal: nil)
        let result: JSONValue = ["answer": "Hi"]
        #expect(ending.standardOutput(format: .json, streamedText: false, result: result) == "{\"answer\":\"Hi\"}\n")
        let line = ending.standardOutput(format: .streamJSON, streamedText: false, result: result)
        #expect(JSONValue.parse(String(line.dropLast())) == ["answer": "Hi", "type": "result"])
        #expect(line.hasSuffix("\n"))
    }
}
