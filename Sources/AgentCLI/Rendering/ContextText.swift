import AgentCore
import AgentProtocol
import Foundation

/// How the context window is put into words: the usage line's `ctx 3.1k/8.2k`, the window with
/// its source, the notices and the "too big to send" line.
enum ContextText {
    /// `850`, `3.1k`, `32.8k`, `131k`.
    static func compact(_ tokens: Int) -> String {
        if tokens < 1000 { return String(tokens) }
        let thousands = Double(tokens) / 1000
        return thousands < 100 ? String(format: "%.1fk", thousands) : String(format: "%.0fk", thousands)
    }

    /// `12,345`.
    static func grouped(_ tokens: Int) -> String {
        let digits = String(tokens)
        var out = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    /// The usage line's part: `ctx 3.1k/8.2k`.
    static func usage(_ use: ContextUse) -> String {
        "ctx \(compact(use.usedTokens))/\(compact(use.window.tokens))"
    }

    /// `4,096 tokens (from the server's /props)`.
    static func window(_ window: ContextWindow) -> String {
        "\(grouped(window.tokens)) tokens (\(window.source))"
    }

    /// The one line that says why a message was not sent.
    static func oversized(_ message: OversizedMessage) -> String {
        "message is ~\(grouped(message.tokens)) tokens, more than the ~\(grouped(message.fitsTokens)) that fit: "
            + "\(message.model)'s window is \(window(message.window)); nothing was sent"
    }

    static func notice(_ notice: ContextNotice) -> String {
        switch notice {
        case .toolsUnsupported(let model):
            "\(model) cannot call tools (its capabilities lack \"tools\"), so agent sends it none."
        case .windowLearned(let learned):
            "The server refused the request as too large; its window is \(window(learned)). "
                + "Trimming the request to it and sending it again."
        }
    }
}
