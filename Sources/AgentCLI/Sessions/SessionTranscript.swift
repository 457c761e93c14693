import AgentCore
import AgentProtocol
import Foundation

/// `agent sessions show`: every message of a session, and where it was compacted (with the
/// summary that stands for the earlier messages from there on).
enum SessionTranscript {
    static func lines(_ session: LoadedSession) -> [String] {
        let summary = session.summary
        var lines = ["Session \(summary.id)" + (summary.title.map { " · \($0)" } ?? ""),
                     "  directory: \(summary.workingDirectory.path)", "  model: \(summary.model)",
                     "  file: \(summary.fileURL.path)", "  messages: \(session.messages.count)" + compactedNote(session)]
        if let window = session.messages.last(where: { $0.metadata.window != nil })?.metadata.window {
            lines.append("  window: \(ContextText.window(window)) at the last answer")
        }
        if let note = session.damageNote { lines.append("  " + note) }
        var compactions = session.compactions[...]
        for (index, message) in session.messages.enumerated() {
            while let next = compactions.first, next.afterMessages == index {
                lines += compaction(next, in: session.messages)
                compactions = compactions.dropFirst()
            }
            guard message.role != .system else { continue }
            lines += Self.message(message)
        }
        for next in compactions { lines += compaction(next, in: session.messages) }
        return lines
    }

    private static func compactedNote(_ session: LoadedSession) -> String {
        guard !session.compactions.isEmpty else { return "" }
        let times = session.compactions.count == 1 ? "once" : "\(session.compactions.count) times"
        let sent = session.sentMessages.filter { $0.role != .system }.count
        return " (compacted \(times); \(sent) are sent, the last compaction's summary standing for the older ones)"
    }

    private static func message(_ message: Message) -> [String] {
        var head = "[\(message.role.rawValue)]"
        if message.metadata.interrupted { head += " [interrupted]" }
        if let id = message.toolCallID { head += " (result of \(id))" }
        var lines = ["", head]
        if !message.content.isEmpty { lines.append(message.content) }
        for call in message.toolCalls { lines.append("→ \(call.name) \(call.arguments)") }
        return lines
    }

    /// The marker for one compaction: which messages its summary replaced, and the summary.
    private static func compaction(_ compaction: SessionCompaction, in messages: [Message]) -> [String] {
        let first = messages.firstIndex { $0.role == .user } ?? 0
        let how = compaction.automatic ? "automatic, the window was filling" : "/compact"
            + (compaction.focus.map { " \($0)" } ?? "")
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return ["", "── compacted here (\(how)) on \(formatter.string(from: compaction.createdAt)): "
                + "messages \(first + 2)–\(compaction.through) are sent as this summary from here on ──",
                compaction.summary, "── end of summary ──"]
    }
}
