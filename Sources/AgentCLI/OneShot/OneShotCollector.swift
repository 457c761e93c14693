import AgentCore
import AgentProtocol
import Synchronization

/// Gathers what the json formats report at the end.
final class OneShotCollector: Sendable {
    private struct State {
        var prompt = 0
        var completion = 0
        var calls: [String: JSONValue] = [:]
        var order: [String] = []
    }
    private let state = Mutex(State())

    func add(_ event: AgentEvent) {
        state.withLock { s in
            switch event {
            case .usage(let u, _, _):
                s.prompt += u.promptTokens
                s.completion += u.completionTokens
            case .toolStarted(let call, _):
                s.order.append(call.id)
                s.calls[call.id] = ["id": .string(call.id), "name": .string(call.name),
                                    "arguments": JSONValue.parse(call.arguments) ?? .string(call.arguments)]
            case .toolFinished(let call, let output, let isError):
                if case .object(var o)? = s.calls[call.id] {
                    o["output"] = .string(output)
                    o["is_error"] = .bool(isError)
                    s.calls[call.id] = .object(o)
                }
            case .toolDenied(let call, let reason):
                if case .object(var o)? = s.calls[call.id] {
                    o["output"] = .string(reason)
                    o["denied"] = true
                    s.calls[call.id] = .object(o)
                }
            default: break
            }
        }
    }

    func result(answer: String, sessionID: String?, model: String, interrupted: Bool, error: String?) -> JSONValue {
        state.withLock { s in
            var object: [String: JSONValue] = [
                "answer": .string(answer),
                "session_id": sessionID.map(JSONValue.string) ?? .null,
                "model": .string(model),
                "usage": ["prompt_tokens": .number(Double(s.prompt)), "completion_tokens": .number(Double(s.completion))],
                "tool_calls": .array(s.order.compactMap { s.calls[$0] }),
                "interrupted": .bool(interrupted),
            ]
            if let error { object["error"] = .string(error) }
            return .object(object)
        }
    }
}
