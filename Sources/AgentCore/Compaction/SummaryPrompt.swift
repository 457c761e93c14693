import AgentProtocol
import Foundation

/// The words of a summary request: the instruction (a system message), the transcript of the
/// messages to summarise (a user message), and the marked message that carries the summary in
/// the conversation afterwards.
///
/// A summary request is self-contained: the messages are written out as a transcript rather
/// than sent as chat messages, so it needs no tool schemas (a server may refuse tool calls and
/// results without them) and it can be cut into pieces anywhere.
public enum SummaryPrompt {
    /// The first line of every summary request's system message: how a server log, or a test's
    /// fake server, tells a summary request from a turn.
    public static let marker = "agent compaction: summarise a conversation"

    static func system(words: Int) -> String {
        """
        \(marker)
        You summarise part of a conversation between a user and a coding assistant, so that the \
        assistant can carry on from your summary instead of the conversation itself. Write markdown \
        with exactly these sections, each a few short bullet points:
        ## Task and constraints
        ## Decisions
        ## Files touched
        ## Open
        Keep file paths, names, commands, numbers and error messages exactly as written. Leave out \
        greetings and whatever no longer matters. At most about \(words) words. Answer with the summary only.
        """
    }

    /// The request for one piece of the transcript.
    static func piece(_ transcript: String, part: Int, of parts: Int, firstUser: String, focus: String?) -> String {
        let which = parts > 1 ? " (part \(part) of \(parts); the other parts are summarised apart)" : ""
        return context(firstUser) + "The conversation to summarise\(which):\n<conversation>\n\(transcript)\n</conversation>"
            + focusLine(focus)
    }

    /// The request that merges the summaries of consecutive pieces into one.
    static func merge(_ summaries: [String], firstUser: String, focus: String?) -> String {
        let parts = summaries.enumerated().map { "<part \($0.offset + 1)>\n\($0.element)\n</part \($0.offset + 1)>" }
        return context(firstUser)
            + "Summaries of consecutive parts of the conversation, oldest first. Merge them into one summary "
            + "with the same sections; where they disagree, the later part wins.\n" + parts.joined(separator: "\n")
            + focusLine(focus)
    }

    private static func context(_ firstUser: String) -> String {
        "The user's first message, which the assistant keeps word for word (do not repeat it):\n<first>\n"
            + firstUser + "\n</first>\n\n"
    }

    private static func focusLine(_ focus: String?) -> String {
        guard let focus, !focus.isEmpty else { return "" }
        return "\n\nThe user asks the summary to focus on: \(focus)"
    }

    /// One message as a transcript entry.
    static func entry(_ message: Message) -> String {
        var head: String
        switch message.role {
        case .user: head = "[user]"
        case .system: head = "[system]"
        case .tool: head = "[result of \(message.name ?? "a tool")]"
        case .assistant: head = message.metadata.summaryOf.map { "[summary of \($0) earlier messages]" } ?? "[assistant]"
        }
        if message.metadata.interrupted { head += " (interrupted)" }
        var text = head + "\n" + (message.metadata.summaryOf == nil ? message.content : body(ofSummary: message.content))
        for call in message.toolCalls { text += "\n→ \(call.name) \(call.arguments)" }
        return text
    }

    /// A summary message's text without its heading.
    static func body(ofSummary content: String) -> String {
        guard let end = content.range(of: "\n\n") else { return content }
        return String(content[end.upperBound...])
    }

    /// The message that stands for `count` replaced messages in what is sent: an assistant
    /// message (so roles still alternate user, assistant, user after the first user message),
    /// marked in its first line.
    public static func summaryMessage(_ summary: String, replacing count: Int, createdAt: Date = Date()) -> Message {
        let heading = "[Summary of the \(count) earlier messages of this conversation, which agent compacted to fit "
            + "the model's context window. The user's first message above and the messages below are word for word.]"
        return Message(
            role: .assistant, content: heading + "\n\n" + summary,
            metadata: MessageMetadata(createdAt: createdAt, summaryOf: count))
    }
}
