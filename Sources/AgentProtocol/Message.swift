import Foundation

public enum Role: String, Codable, Sendable, Equatable {
    case system, user, assistant, tool
}

/// A complete tool call as the model made it. `arguments` is the raw JSON text the model sent,
/// kept verbatim so the history sent back to the server is exactly what it produced.
public struct ToolCall: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// A fresh id for a call that came without one (a server that sends none, a call recovered
    /// from the answer's text), in the `call_…` form OpenAI-compatible servers use.
    public static func makeID() -> String { "call_" + String(UInt64.random(in: 0...UInt64.max), radix: 36) }
}

/// Local facts about a message that are stored with the session and never sent to the model.
public struct MessageMetadata: Codable, Sendable, Equatable {
    public var createdAt: Date
    /// The stream ended before the model finished this message (Ctrl-C, signal, network).
    public var interrupted: Bool
    /// Reasoning text the model streamed apart from its answer.
    public var reasoning: String?
    /// Why something unusual happened, e.g. "dropped 1 half-received tool call".
    public var note: String?
    /// The context window the answer was made in (assistant messages), so a saved session can say
    /// what the model held without asking the server.
    public var window: ContextWindow?
    /// Where the kept stretch of the request that produced this answer began (the index of its
    /// first message, system prompt at 0), when older messages were left out. A resumed session
    /// trims from the same place, so the server's prompt cache still matches.
    public var trimmedFrom: Int?
    /// Set on the message that stands for earlier messages after a compaction: how many it
    /// replaces. Such a message exists only in what is sent; the session file keeps the
    /// originals and a compaction record instead.
    public var summaryOf: Int?

    public init(
        createdAt: Date = Date(), interrupted: Bool = false, reasoning: String? = nil, note: String? = nil,
        window: ContextWindow? = nil, trimmedFrom: Int? = nil, summaryOf: Int? = nil
    ) {
        self.createdAt = createdAt
        self.interrupted = interrupted
        self.reasoning = reasoning
        self.note = note
        self.window = window
        self.trimmedFrom = trimmedFrom
        self.summaryOf = summaryOf
    }
}

/// One message of a conversation, in the OpenAI chat shape plus local metadata.
public struct Message: Codable, Sendable, Equatable {
    public var role: Role
    public var content: String
    /// Calls made by an assistant message; empty otherwise.
    public var toolCalls: [ToolCall]
    /// For a tool result: the id of the call it answers.
    public var toolCallID: String?
    /// For a tool result: the tool's name (some servers want it).
    public var name: String?
    public var metadata: MessageMetadata

    public init(
        role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil, name: String? = nil,
        metadata: MessageMetadata = MessageMetadata()
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
        self.metadata = metadata
    }

    public static func system(_ text: String) -> Message { Message(role: .system, content: text) }
    public static func user(_ text: String) -> Message { Message(role: .user, content: text) }
    public static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> Message {
        Message(role: .assistant, content: text, toolCalls: toolCalls)
    }
    public static func toolResult(id: String, name: String, content: String) -> Message {
        Message(role: .tool, content: content, toolCallID: id, name: name)
    }

    enum CodingKeys: String, CodingKey {
        case role, content, toolCalls = "tool_calls", toolCallID = "tool_call_id", name, metadata = "meta"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = try c.decode(Role.self, forKey: .role)
        content = try c.decodeIfPresent(String.self, forKey: .content) ?? ""
        toolCalls = try c.decodeIfPresent([ToolCall].self, forKey: .toolCalls) ?? []
        toolCallID = try c.decodeIfPresent(String.self, forKey: .toolCallID)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        metadata = try c.decodeIfPresent(MessageMetadata.self, forKey: .metadata) ?? MessageMetadata()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(content, forKey: .content)
        if !toolCalls.isEmpty { try c.encode(toolCalls, forKey: .toolCalls) }
        try c.encodeIfPresent(toolCallID, forKey: .toolCallID)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(metadata, forKey: .metadata)
    }
}
