import AgentProtocol
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Classifies the errors AsyncHTTPClient and NIO throw into `ModelClientError`, so nothing above
/// this file needs to know them.
enum TransportErrorMapper {
    static func map(_ error: any Error, endpoint: String, ollama: Bool) -> ModelClientError {
        func connection(_ failure: ConnectionFailure) -> ModelClientError {
            .connection(endpoint: endpoint, failure: failure, ollama: ollama)
        }
        if let http = error as? HTTPClientError { return map(http, endpoint: endpoint, ollama: ollama) }
        if let parser = error as? HTTPParserError {
            // A connection closed mid-body surfaces as a parser that saw EOF too early.
            if parser == .invalidEOFState { return .streamEndedEarly }
            return .malformedStream("invalid HTTP from the server (\(parser))")
        }
        if let io = error as? IOError {
            return connection(failure(errno: io.errnoCode, fallback: String(describing: io)))
        }
        if let nio = error as? NIOConnectionError {
            if let first = nio.connectionErrors.first {
                return map(first.error, endpoint: endpoint, ollama: ollama)
            }
            return connection(.dns)
        }
        if let channel = error as? ChannelError {
            switch channel {
            case .connectTimeout: return connection(.timeout)
            case .eof, .alreadyClosed, .ioOnClosedChannel, .outputClosed: return .streamEndedEarly
            default: return connection(.other(String(describing: channel)))
            }
        }
        return byDescription(String(describing: error), connection: connection)
    }

    private static func map(_ http: HTTPClientError, endpoint: String, ollama: Bool) -> ModelClientError {
        // The seconds are filled in by the client, which knows its settings.
        if http == .readTimeout { return .streamStalled(seconds: 0) }
        // "Timed out connecting" is for a connection that never opened; a server that took
        // the whole `timeout` to answer is another failure with another message.
        if http == .deadlineExceeded { return .requestTimedOut(seconds: 0) }
        if http == .remoteConnectionClosed { return .streamEndedEarly }
        if http == .invalidURL || http == .emptyHost || http == .emptyScheme { return .invalidEndpoint(endpoint) }
        let failure: ConnectionFailure = if http == .connectTimeout { .timeout }
            else if http == .tlsHandshakeTimeout { .tls("handshake timed out") }
            else { .other(String(describing: http)) }
        return .connection(endpoint: endpoint, failure: failure, ollama: ollama)
    }

    /// An error of a type this file does not know, judged by its words.
    private static func byDescription(
        _ text: String, connection: (ConnectionFailure) -> ModelClientError
    ) -> ModelClientError {
        if text.contains("NIOSSL") || text.contains("TLS") || text.contains("certificate") {
            return connection(.tls(text))
        }
        if text.localizedCaseInsensitiveContains("refused") { return connection(.refused) }
        if text.contains("getaddrinfo") || text.contains("DNS") { return connection(.dns) }
        return connection(.other(text))
    }

    static func failure(errno code: CInt, fallback: String) -> ConnectionFailure {
        switch code {
        case ECONNREFUSED: .refused
        case ECONNRESET, EPIPE: .reset
        // An open connection can time out too (keep-alive probes); it is not a connect time-out.
        case ETIMEDOUT: .other("the connection timed out")
        case EHOSTUNREACH, ENETUNREACH: .other("host unreachable")
        default: .other(fallback)
        }
    }
}

/// Pulls the human message out of a server's error body.
enum ServerErrorText {
    static func extract(_ body: String) -> String {
        let trimmed = body.trimmedWhitespace()
        if let data = trimmed.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let error = object["error"] as? String { return error }
            if let message = object["message"] as? String { return message }
            if let detail = object["detail"] as? String { return detail }
        }
        let oneLine = trimmed.replacingOccurrences(of: "\n", with: " ")
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}
