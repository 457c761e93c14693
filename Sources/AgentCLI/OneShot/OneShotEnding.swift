import AgentCore
import AgentProtocol

/// How a one-shot run ends: its exit status, the answer and the error line, decided from the
/// turn's outcome alone, so each documented exit code is one case here.
struct OneShotEnding: Equatable {
    var status: ExitStatus
    /// The answer when there is one (empty otherwise).
    var answer = ""
    /// The one line printed as `agent: …` on stderr, and the json result's `error`.
    var error: String?

    init(status: ExitStatus, answer: String = "", error: String? = nil) {
        self.status = status
        self.answer = answer
        self.error = error
    }

    /// 0 answered; 130 Ctrl-C; 128 + signal for SIGTERM/SIGHUP; 1 a model, network or tool
    /// failure, the tool-round limit, or a message too big for the window.
    init(outcome: TurnOutcome, terminatingSignal: Int32?) {
        switch outcome {
        case .answered(let text):
            self.init(status: .success, answer: text)
        case .cancelled:
            self.init(status: terminatingSignal.map(ExitStatus.signal) ?? .interrupted)
        case .failed(let error):
            self.init(status: .failure, error: "\(error)")
        case .roundLimitReached(let rounds):
            self.init(status: .failure, error: "stopped after \(rounds) tool rounds (the limit)")
        case .tooLarge(let oversized):
            self.init(status: .failure, error: ContextText.oversized(oversized))
        }
    }

    /// Stopped by Ctrl-C or a signal rather than finished or failed.
    var isInterrupted: Bool { status == .interrupted || status.code > 128 }

    /// What goes to stdout once the turn is over. Text that already streamed onto the terminal
    /// is not written again; an answer into a pipe is written whole, and only when it succeeded.
    func standardOutput(format: OutputFormat, streamedText: Bool, result: JSONValue) -> String {
        switch format {
        case .text:
            guard !streamedText, status == .success else { return "" }
            return answer.hasSuffix("\n") ? answer : answer + "\n"
        case .json:
            return result.jsonText + "\n"
        case .streamJSON:
            var object = result.objectValue ?? [:]
            object["type"] = "result"
            return JSONValue.object(object).jsonText + "\n"
        }
    }
}
