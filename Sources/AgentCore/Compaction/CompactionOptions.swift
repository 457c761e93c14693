/// When the loop compacts a conversation by itself (`[compaction]` in the configuration).
public struct CompactionOptions: Sendable, Equatable {
    /// `compaction.auto`: compact before a request when the history passes `autoAt`.
    public var auto: Bool
    /// `compaction.auto_at`: the share of what the history may take in one request (the window
    /// less the answer's room, the tool schemas and the margin) past which it is compacted.
    public var autoAt: Double

    public static let defaultAutoAt = 0.8

    public init(auto: Bool = true, autoAt: Double = CompactionOptions.defaultAutoAt) {
        self.auto = auto
        // The configuration checks the range; a value from elsewhere is held inside it too.
        self.autoAt = autoAt.isFinite ? min(1, max(0.1, autoAt)) : Self.defaultAutoAt
    }
}
