import Foundation

/// Parsing of server addresses: the `endpoint` key, `OLLAMA_HOST` and `OPENAI_BASE_URL`.
///
/// Every address produced here is an `http` or `https` URL with a host, no query or fragment,
/// and no trailing slash, so `endpoint + api_path` is always a well-formed URL.
enum Endpoint {
    static let expectation = "an http(s) URL such as http://127.0.0.1:11434"
    static let ollamaHostExpectation = "host, host:port or an http(s) URL such as http://127.0.0.1:11434"
    static let openAIBaseExpectation = "an http(s) URL such as https://api.openai.com/v1"

    /// The port Ollama listens on when `OLLAMA_HOST` names none and has no scheme.
    static let ollamaDefaultPort = 11434

    /// `text` without trailing slashes, or nil when it is not an http(s) URL with a host and,
    /// when it names one, a port in 1...65535.
    static func normalized(_ text: String) -> String? {
        // The port is checked on the text first: Foundation's parser and the HTTP client must
        // never see `:65536` or a port of twenty digits (either one traps converting it).
        guard !text.contains(where: { $0.isWhitespace }), hasValidPort(text),
            let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else { return nil }
        var result = Substring(text)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }

    /// Whether the authority of `url` (`scheme://[user@]host[:port]/…`) has no port or a port
    /// of one to five digits in 1...65535. A URL without `://` passes: it fails elsewhere.
    static func hasValidPort(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return true }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard let (_, port) = splitHostPort(authority) else { return false }
        guard let port else { return true }
        return isPort(port)
    }

    /// One to five ASCII digits naming a port in 1...65535.
    static func isPort(_ text: Substring) -> Bool {
        guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text)
        else { return false }
        return (1...65535).contains(number)
    }

    /// Whether `url` is plain `http` to a host other than this machine: a key sent there
    /// crosses the network in clear text.
    static func isPlainHTTPToAnotherHost(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "http" else {
            return false
        }
        return !isLoopback(components.host ?? "")
    }

    /// `localhost`, 127.0.0.0/8 and ::1 (with or without brackets).
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let lowered = bare.lowercased()
        if lowered == "localhost" || lowered.hasSuffix(".localhost") { return true }
        if lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { $0.count <= 3 && UInt8($0) != nil }
    }

    /// The endpoint a client should use for an `OLLAMA_HOST` value, read the way Ollama reads it.
    ///
    /// Accepts `host`, `host:port`, `:port`, `[v6]`, `[v6]:port`, bare `::1`, optional surrounding
    /// quotes and spaces, and `http://` / `https://` with an optional path. Without a scheme the
    /// port defaults to 11434; with a scheme it is the scheme's own (80 or 443), as in Ollama.
    /// The listen-everywhere addresses (empty host, `0.0.0.0`, `::`) become loopback.
    /// Returns nil for another scheme, a port outside 1...65535, or anything else unparsable.
    static func fromOllamaHost(_ raw: String) -> String? {
        let quotes = CharacterSet(charactersIn: "\"'")
        let text = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: quotes)
            .trimmingCharacters(in: .whitespaces)
        var scheme = "http"
        var defaultPort: Int? = ollamaDefaultPort
        var rest = Substring(text)
        if let separator = text.range(of: "://") {
            scheme = text[..<separator.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { return nil }
            rest = text[separator.upperBound...]
            defaultPort = nil
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let path = rest[slash...]
        guard let (host, port) = splitHostPort(rest[..<slash]) else { return nil }
        var effectivePort = defaultPort
        if let port, !port.isEmpty {
            guard isPort(port), let number = Int(port) else { return nil }
            effectivePort = number
        }
        let clientHost: String
        switch host {
        case "", "0.0.0.0": clientHost = "127.0.0.1"
        case "::": clientHost = "::1"
        default: clientHost = String(host)
        }
        let bracketed = clientHost.contains(":") ? "[\(clientHost)]" : clientHost
        let portPart = effectivePort.map { ":\($0)" } ?? ""
        return normalized("\(scheme)://\(bracketed)\(portPart)\(path)")
    }

    /// Splits `host:port`, `[v6]:port`, `[v6]`, `host` or a bare IPv6 address; the port is nil
    /// when absent. Nil when brackets are unbalanced or followed by something other than `:port`.
    private static func splitHostPort(_ text: Substring) -> (host: Substring, port: Substring?)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { return nil }
            return (host, after.dropFirst())
        }
        switch text.count(where: { $0 == ":" }) {
        case 0: return (text, nil)
        case 1:
            let colon = text.firstIndex(of: ":") ?? text.endIndex
            return (text[..<colon], text[text.index(after: colon)...])
        default: return (text, nil)
        }
    }

    /// Endpoint and API path for an OpenAI-style base URL such as `https://api.openai.com/v1`.
    ///
    /// The endpoint is the origin; the API path is the base's path followed by
    /// `/chat/completions` (`/v1` → `/v1/chat/completions`, `/api/v1` → `/api/v1/chat/completions`).
    /// A base with no path gets `/v1/chat/completions`; a base that already ends in
    /// `/chat/completions` is used as it is. Nil when `raw` is not an http(s) URL.
    static func fromOpenAIBase(_ raw: String) -> (endpoint: String, apiPath: String)? {
        guard let url = normalized(raw.trimmingCharacters(in: .whitespaces)),
            let schemeEnd = url.range(of: "://")
        else { return nil }
        let pathStart = url[schemeEnd.upperBound...].firstIndex(of: "/") ?? url.endIndex
        let origin = String(url[..<pathStart])
        let path = String(url[pathStart...])
        let completions = "/chat/completions"
        if path.isEmpty { return (origin, "/v1" + completions) }
        if path.hasSuffix(completions) { return (origin, path) }
        return (origin, path + completions)
    }
}
