import AgentProtocol
import Foundation

/// Recovers tool calls that a local model wrote into its answer as JSON text instead of using
/// `tool_calls` (common with small models and some chat templates).
///
/// Only content that is nothing but such calls is recovered, and only when every call names a
/// known tool, so an answer that merely shows JSON to the user is left alone.
public enum LeakedToolCall {
    public static func recover(from content: String, knownTools: Set<String>,
                               makeID: () -> String) -> [ToolCall]? {
        // Checked before any trimming, which copies the whole answer (megabytes, at times) through NSString.
        let first = content.unicodeScalars.first { !CharacterSet.whitespacesAndNewlines.contains($0) }
        guard let first, "{[<`".unicodeScalars.contains(first) else { return nil }
        var text = content.trimmedWhitespace()
        guard !text.isEmpty else { return nil }
        for (open, close) in [("<tool_call>", "</tool_call>"), ("```json", "```"), ("```", "```")] {
            if text.hasPrefix(open) && text.hasSuffix(close) && text.count >= open.count + close.count {
                text = String(text.dropFirst(open.count).dropLast(close.count))
                    .trimmedWhitespace()
            }
        }
        guard text.first == "{" || text.first == "[" else { return nil }
        let candidates: [JSONValue]
        switch JSONValue.parse(text) {
        case .object(let o)?: candidates = [.object(o)]
        case .array(let a)?: candidates = a
        default: return nil
        }
        var calls: [ToolCall] = []
        for candidate in candidates {
            guard let object = candidate.objectValue else { return nil }
            let function = object["function"]?.objectValue ?? object
            guard let name = function["name"]?.stringValue, knownTools.contains(name) else { return nil }
            let arguments: String
            switch function["arguments"] ?? function["parameters"] ?? .object([:]) {
            case .string(let s): arguments = s
            case let other: arguments = other.jsonText
            }
            calls.append(ToolCall(id: makeID(), name: name, arguments: arguments))
        }
        return calls.isEmpty ? nil : calls
    }
}
