import AgentProtocol
import Foundation

/// What the store knows about a session without reading its messages.
public struct SessionSummary: Sendable, Equatable {
    /// Sortable and unique, e.g. `20261126-211500-a1b2c3` (UTC creation time and 24 random bits);
    /// it is also the file's name without `.jsonl`.
    public var id: String
    public var created: Date
    /// When the file last changed (its modification time).
    public var updated: Date
    /// Messages saved so far, as counted by the writer.
    public var messageCount: Int
    public var title: String?
    /// The folder agent was started in, as an absolute path.
    public var workingDirectory: URL
    public var model: String
    public var fileURL: URL

    public init(
        id: String, created: Date, updated: Date, messageCount: Int, title: String?, workingDirectory: URL,
        model: String, fileURL: URL
    ) {
        self.id = id
        self.created = created
        self.updated = updated
        self.messageCount = messageCount
        self.title = title
        self.workingDirectory = workingDirectory
        self.model = model
        self.fileURL = fileURL
    }
}

/// A session read back from its journal.
public struct LoadedSession: Sendable, Equatable {
    /// `messageCount` here is the number of messages actually loaded.
    public var summary: SessionSummary
    /// Every readable message in the order it was appended. When the writer died while an answer
    /// was streaming, the last one is that answer's text with `metadata.interrupted` set.
    public var messages: [Message]
    /// Unreadable lines inside the file that were skipped (a torn last line is not counted: it is
    /// a save that never completed). Non-zero means something damaged the file; say so.
    public var skippedLines: Int
    /// True when the last message was rebuilt from streamed text that never completed.
    public var recoveredPartial: Bool
    /// True when the file ended in an unreadable, unterminated line (a save cut off by a crash),
    /// which was left out (and is cut off when the session is continued).
    public var droppedTornLine: Bool
    /// The compactions recorded in the file, oldest first; the last one decides what is sent
    /// (see `sentMessages`). `messages` always holds every original.
    public var compactions: [SessionCompaction]
    /// Compaction records that did not match the messages before them (lines lost or edited):
    /// ignored, so the originals are sent instead.
    public var ignoredCompactions: Int

    public init(
        summary: SessionSummary, messages: [Message], skippedLines: Int, recoveredPartial: Bool,
        droppedTornLine: Bool = false, compactions: [SessionCompaction] = [], ignoredCompactions: Int = 0
    ) {
        self.summary = summary
        self.messages = messages
        self.skippedLines = skippedLines
        self.recoveredPartial = recoveredPartial
        self.droppedTornLine = droppedTornLine
        self.compactions = compactions
        self.ignoredCompactions = ignoredCompactions
    }

    /// One line for the user about what was skipped reading the file, or nil when nothing was.
    public var damageNote: String? {
        var parts: [String] = []
        if skippedLines > 0 { parts.append("skipped \(skippedLines) unreadable line(s) in the session file") }
        if droppedTornLine { parts.append("left out its last line, which a crash cut off mid-save") }
        if ignoredCompactions > 0 {
            parts.append("ignored \(ignoredCompactions) compaction record(s) that do not match the messages before them; "
                + "the original messages are sent instead")
        }
        return parts.isEmpty ? nil : "note: " + parts.joined(separator: "; ")
    }

    public var id: String { summary.id }
}
