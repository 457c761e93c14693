import AgentProtocol
import Foundation

/// A compaction as the journal records it: from here on, the messages before `through` (all
/// but the first user message) are sent as `summary`. The messages themselves stay in the file.
public struct SessionCompaction: Sendable, Equatable {
    /// Messages in the session when the compaction happened (the record's `n`).
    public var afterMessages: Int
    /// Messages `0..<through` are replaced, except the first user message (and anything before
    /// it), which stays verbatim.
    public var through: Int
    public var summary: String
    public var createdAt: Date
    /// What `/compact FOCUS` asked the summary to keep; nil for none.
    public var focus: String?
    /// True when agent compacted by itself (the window was filling), false for `/compact`.
    public var automatic: Bool

    public init(afterMessages: Int, through: Int, summary: String, createdAt: Date, focus: String?, automatic: Bool) {
        self.afterMessages = afterMessages
        self.through = through
        self.summary = summary
        self.createdAt = createdAt
        self.focus = focus
        self.automatic = automatic
    }

    /// Whether the record fits the messages read before it: `messages` must be exactly the
    /// `afterMessages` the writer had, and a user message must precede the replaced stretch.
    /// A record that fails (lines lost before it, a hand edit) is ignored: the originals are sent.
    func fits(_ messages: [Message]) -> Bool {
        guard messages.count == afterMessages, through <= afterMessages, !summary.isEmpty,
            let first = messages.firstIndex(where: { $0.role == .user })
        else { return false }
        return first + 1 < through
    }
}

/// What the loop hands the recorder when it compacts: the summary and how many of the most
/// recent messages stay verbatim. The journal turns it into a `SessionCompaction` (it knows
/// how many messages it holds, so `through` is the count less `keptMessages`).
public struct CompactionEntry: Sendable, Equatable {
    public var summary: String
    public var keptMessages: Int
    public var focus: String?
    public var automatic: Bool
    public var createdAt: Date

    public init(summary: String, keptMessages: Int, focus: String?, automatic: Bool, createdAt: Date = Date()) {
        self.summary = summary
        self.keptMessages = keptMessages
        self.focus = focus
        self.automatic = automatic
        self.createdAt = createdAt
    }
}
