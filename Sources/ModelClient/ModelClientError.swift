import AgentProtocol
import Foundation

/// Why a connection could not be made or was lost.
public enum ConnectionFailure: Sendable, Equatable {
    case refused
    case dns
    case reset
    case tls(String)
    case timeout
    case other(String)
}

/// Every way talking to a model can fail. `isRetryable` is the one place that decides what a retry may fix.
public enum ModelClientError: Error, Sendable, Equatable {
    case connection(endpoint: String, failure: ConnectionFailure, ollama: Bool)
    /// The server answered with an error status; `message` is extracted from its JSON body when it has one.
    case httpStatus(code: Int, message: String, retryAfter: Double?)
    /// Nothing but keep-alives (or nothing at all) arrived for longer than the stream idle timeout.
    case streamStalled(seconds: Double)
    /// The whole request, streamed answer included, took longer than the `timeout` setting.
    case requestTimedOut(seconds: Double)
    /// The server refused the request as larger than the model's context window.
    case contextOverflow(ContextOverflow)
    /// The stream ended before the server said it was done.
    case streamEndedEarly
    /// The response could not be read as an answer at all.
    case malformedStream(String)
    case modelNotFound(model: String, available: [String])
    case invalidEndpoint(String)

    public var isRetryable: Bool {
        switch self {
        case .connection(_, let failure, _):
            switch failure {
            case .refused, .dns, .reset, .timeout, .other: return true
            case .tls: return false
            }
        case .httpStatus(let code, _, _):
            return code >= 500 || code == 408 || code == 429
        case .streamStalled, .streamEndedEarly: return true
        // Another attempt would wait as long again; the engine trims an overflow itself.
        case .requestTimedOut, .contextOverflow: return false
        case .malformedStream, .modelNotFound, .invalidEndpoint: return false
        }
    }

    /// Server-requested wait before the next attempt (429/503 `Retry-After`).
    public var retryAfter: Double? {
        if case .httpStatus(_, _, let after) = self { return after }
        return nil
    }
}

extension ModelClientError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .connection(let endpoint, let failure, let ollama):
            let what = ollama ? "Ollama" : "the model server"
            switch failure {
            case .refused: return "Cannot reach \(what) at \(endpoint). Is it running?"
            case .dns: return "Cannot resolve the host of \(endpoint). Check the endpoint setting."
            case .reset: return "The connection to \(endpoint) was lost."
            case .tls(let detail): return "TLS error talking to \(endpoint): \(detail)"
            case .timeout: return "Timed out connecting to \(what) at \(endpoint). Is it running?"
            case .other(let detail): return "Cannot reach \(what) at \(endpoint): \(detail)"
            }
        case .httpStatus(let code, let message, _):
            let text = message.isEmpty ? HTTPStatusText.reason(code) : message
            return "The server answered \(code): \(text)"
        case .streamStalled(let seconds):
            return "The server sent nothing for \(Seconds.text(seconds)) s; the answer stalled."
        case .requestTimedOut(let seconds):
            return "The server did not finish answering within \(Seconds.text(seconds)) s (the timeout setting)."
        case .contextOverflow(let overflow):
            return "The request is larger than the model's context window: \(overflow.message)"
        case .streamEndedEarly:
            return "The connection closed before the answer was complete."
        case .malformedStream(let detail):
            return "The server's answer could not be read: \(detail)"
        case .modelNotFound(let model, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "Model '\(model)' not found. Available models: \(list)"
        case .invalidEndpoint(let endpoint):
            return "The endpoint '\(endpoint)' is not an http(s) URL."
        }
    }
}

extension ModelClientError: ContextOverflowReporting {
    public var contextOverflow: ContextOverflow? {
        if case .contextOverflow(let overflow) = self { return overflow }
        return nil
    }
}

enum HTTPStatusText {
    static func reason(_ code: Int) -> String {
        switch code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(code)"
        }
    }
}
