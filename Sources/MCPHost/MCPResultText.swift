import AgentCore
import AgentProtocol
import MCP

/// What the model reads from an MCP tool's result: its text, a short note for each image, audio
/// clip or binary resource (models here read text only), and the whole capped like every tool's
/// output.
enum MCPResultText {
    static func text(content: [MCP.Tool.Content], structured: Value?) -> String {
        var parts = content.map(describe)
        if parts.isEmpty, let structured {
            do {
                parts.append(try MCPValues.json(structured).jsonText)
            } catch {
                parts.append("[structured content that could not be read: \(error)]")
            }
        }
        let joined = parts.joined(separator: "\n")
        return ToolOutput.capped(joined.isEmpty ? "(no output)" : joined)
    }

    static func describe(_ item: MCP.Tool.Content) -> String {
        switch item {
        case .text(let text, _, _):
            return text
        case .image(let data, let mimeType, _, _):
            return "[image \(mimeType), \(size(ofBase64: data)); images are not shown to the model]"
        case .audio(let data, let mimeType, _, _):
            return "[audio \(mimeType), \(size(ofBase64: data)); audio is not passed to the model]"
        case .resource(let resource, _, _):
            if let text = resource.text { return "[resource \(resource.uri)]\n" + text }
            let kind = resource.mimeType.map { " \($0)" } ?? ""
            return "[resource \(resource.uri)\(kind), \(size(ofBase64: resource.blob ?? "")) of binary data, not shown]"
        case .resourceLink(let uri, let name, _, let description, _, _):
            return "[resource link \(name): \(uri)" + (description.map { " — \($0)" } ?? "") + "]"
        }
    }

    /// The decoded size of base64 text, in words a person reads.
    static func size(ofBase64 text: String) -> String {
        let bytes = text.utf8.count / 4 * 3
        return bytes >= 1024 ? "\(bytes / 1024) KB" : "\(bytes) bytes"
    }
}
