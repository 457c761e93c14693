import AgentProtocol
import Foundation
import Synchronization

/// The writer of one session's journal. One per session and process; the file is locked while
/// it is open.
///
/// Invariants:
/// - When `append` returns, the message is fsync'd: a kill or a power loss keeps it.
/// - Appending writes one line, so its cost does not grow with the session.
/// - When a save fails (full disk, read-only folder) `append` throws `SessionError.saveFailed`,
///   the file still holds every earlier line intact, and the unsaved lines stay in memory, in
///   order, until a later save succeeds; then they are written first.
/// - Streamed text given to `recordPartial` or `offerPartial` reaches the file within
///   `partialInterval` (1 s by default) of being reported: the journal is the one place that
///   throttles partial saves; callers report every piece and need not.
public actor SessionJournal {
    public nonisolated let id: String
    public nonisolated let fileURL: URL
    public nonisolated let created: Date
    public nonisolated let workingDirectory: URL
    public private(set) var title: String?
    public private(set) var model: String
    /// Messages appended so far, saved or not.
    public private(set) var messageCount: Int

    private var file: JournalFile?
    private var pending: [PendingLine]
    private var partial = PartialTracker()
    /// Bytes of partial lines that a later message or `discardPartial` superseded.
    private var supersededBytes: Int64 = 0
    private let partialInterval: Duration
    private let encoder = JournalCoding.makeEncoder()
    private var flushTask: Task<Void, Never>?
    private var flushGeneration = 0
    /// Streamed pieces offered without waiting (`offerPartial`), until the actor takes them.
    private nonisolated let offers = Mutex(Offers())

    struct Offers: Sendable {
        var text = ""
        var reasoning = ""
        var draining = false
    }

    /// A line that is not saved yet, kept in order until a save succeeds.
    struct PendingLine: Sendable {
        var data: Data
        var isMessage: Bool
    }

    init(
        file: JournalFile, header: JournalHeader, title: String?, model: String, messageCount: Int,
        pending: [PendingLine], partialInterval: Duration
    ) {
        self.id = header.id
        self.fileURL = URL(fileURLWithPath: file.path)
        self.created = header.created
        self.workingDirectory = URL(fileURLWithPath: header.workingDirectory)
        self.title = title
        self.model = model
        self.messageCount = messageCount
        self.file = file
        self.pending = pending
        self.partialInterval = partialInterval
    }

    deinit {
        flushTask?.cancel()
        file?.close()
    }

    /// Messages kept only in memory because their save failed.
    public var unsavedMessageCount: Int { pending.lazy.filter(\.isMessage).count }

    /// Whether the journal is still open for writing.
    public var isOpen: Bool { file != nil }

    /// Saves `message` durably; it supersedes any partial text recorded before it.
    ///
    /// Throws `.saveFailed` when the disk refuses (the message is kept and saved later: show the
    /// warning and carry on) and `.closed` after `close()`.
    public func append(_ message: Message) throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        let line = try encodedLine(.message(message, count: messageCount + 1))
        messageCount += 1
        pending.append(PendingLine(data: line, isMessage: true))
        dropOffers()
        endPartial()
        try savePending()
        compactIfWorthwhile()
    }

    /// Saves a compaction record: from here on the messages before the last
    /// `entry.keptMessages` (all but the first user message) are sent as `entry.summary`. The
    /// messages themselves stay in the file. Fails like `append`, and the record is kept and
    /// saved later like a message.
    public func appendCompaction(_ entry: CompactionEntry) throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        let compaction = SessionCompaction(
            afterMessages: messageCount, through: max(0, messageCount - max(0, entry.keptMessages)), summary: entry.summary,
            createdAt: entry.createdAt, focus: entry.focus, automatic: entry.automatic)
        pending.append(PendingLine(data: try encodedLine(.compaction(compaction)), isMessage: false))
        try savePending()
    }

    /// Reports the text streamed so far for the answer in progress (the whole text, not a piece).
    ///
    /// Saved at most once per `partialInterval`; a later report within the interval is saved when
    /// it ends, so nothing waits longer than that. `force` saves now. A failed save is retried at
    /// the next report and surfaces as an error from the next `append`.
    public func recordPartial(_ text: String, reasoning: String? = nil, force: Bool = false) {
        guard file != nil else { return }
        partial.latestText = text
        partial.latestReasoning = reasoning ?? ""
        guard partial.isDirty else { return }
        let now = ContinuousClock.now
        if !force, let last = partial.lastWrite, now < last.advanced(by: partialInterval) {
            scheduleFlush(at: last.advanced(by: partialInterval))
            return
        }
        savePartial(now: now)
    }

    /// Appends streamed pieces to the answer in progress without waiting: a lock and an append to
    /// the journal's own copy, cheap enough for every chunk of a stream. Pieces, not the whole
    /// text, so that the caller's growing string is never shared (sharing it would make each of
    /// its appends copy it whole). One task at a time takes what was offered, when the throttle
    /// allows the next write, and saves it as `recordPartial` would.
    public nonisolated func offerPartial(appending text: String, reasoning: String) {
        let wake = offers.withLock { offers -> Bool in
            offers.text += text
            offers.reasoning += reasoning
            defer { offers.draining = true }
            return !offers.draining
        }
        if wake { Task { await self.drainOffers() } }
    }

    /// Waits until a write is due, then saves what was offered.
    private func drainOffers() async {
        if let last = partial.lastWrite, ContinuousClock.now < last.advanced(by: partialInterval) {
            do {
                try await Task.sleep(until: last.advanced(by: partialInterval), clock: .continuous)
            } catch {
                // Cancelled: save what there is now rather than later.
            }
        }
        takeOffers(force: false)
    }

    /// Moves the offered pieces into the answer in progress and saves it (now when `force`, else
    /// under the throttle).
    private func takeOffers(force: Bool) {
        let (text, reasoning) = offers.withLock { offers in
            defer {
                offers.text = ""
                offers.reasoning = ""
                offers.draining = false
            }
            return (offers.text, offers.reasoning)
        }
        guard !text.isEmpty || !reasoning.isEmpty else { return }
        recordPartial(partial.latestText + text, reasoning: partial.latestReasoning + reasoning, force: force)
    }

    /// Pieces not yet taken belong to the answer that just ended.
    private func dropOffers() {
        offers.withLock { offers in
            offers.text = ""
            offers.reasoning = ""
        }
    }

    /// Forgets the answer in progress without a message (the caller dropped it): a later load does
    /// not turn its partial text into an interrupted message.
    public func discardPartial() {
        dropOffers()
        guard file != nil else { return }
        let wasSaved = partial.hasSavedText
        endPartial()
        guard wasSaved, let line = try? encodedLine(.partialEnd(count: messageCount)) else { return }
        pending.append(PendingLine(data: line, isMessage: false))
        // A failure is retried with the next save; the worst case is recovering the dropped text.
        try? savePending()
    }

    /// Sets or clears the title; empty or blank clears it.
    public func setTitle(_ newTitle: String?) throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        let trimmed = newTitle?.trimmedWhitespace()
        let normalized = trimmed?.isEmpty == false ? trimmed : nil
        pending.append(PendingLine(data: try encodedLine(.title(normalized, count: messageCount)), isMessage: false))
        title = normalized
        try savePending()
        // Folding the change into the header lets the session list read it from the first line.
        // Not needed for correctness: if the rewrite fails, the line just saved says the same.
        try? rewriteCompacted()
    }

    /// Records that the session continues with another model.
    public func setModel(_ newModel: String) throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        guard newModel != model else { return }
        pending.append(PendingLine(data: try encodedLine(.model(newModel, count: messageCount)), isMessage: false))
        model = newModel
        try savePending()
        // As for the title: the saved line is enough; the rewrite only makes listing cheaper.
        try? rewriteCompacted()
    }

    /// Retries saving messages whose save failed.
    public func flush() throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        try savePending()
    }

    /// Rewrites the file atomically without superseded lines and with title and model in the
    /// header. Happens by itself when superseded partial text outgrows the rest of the file.
    public func compact() throws(SessionError) {
        guard file != nil else { throw .closed(id) }
        do {
            try rewriteCompacted()
        } catch {
            throw .saveFailed(file: fileURL, reason: error.reason, unsavedMessages: unsavedMessageCount)
        }
    }

    /// Saves what is unsaved (including partial text not yet written), then releases the file.
    /// Throws `.saveFailed` when some messages could not be saved; they are lost with the journal.
    public func close() throws(SessionError) {
        guard file != nil else { return }
        takeOffers(force: true)
        cancelFlush()
        if partial.isDirty { savePartial(now: .now) }
        var failure: SessionError?
        do {
            try savePending()
        } catch {
            failure = error
        }
        file?.close()
        file = nil
        if let failure { throw failure }
    }

    // MARK: - Saving

    private func encodedLine(_ event: JournalEvent) throws(SessionError) -> Data {
        do {
            return try JournalCoding.line(event, encoder: encoder)
        } catch {
            throw .saveFailed(file: fileURL, reason: error.reason, unsavedMessages: unsavedMessageCount)
        }
    }

    /// Writes the pending lines and `extra` as one durable append; pending lines are dropped only
    /// when it succeeds.
    private func commit(extra: Data? = nil) throws(SessionIOError) {
        guard var current = file else { return }
        var data = Data()
        for line in pending { data.append(line.data) }
        if let extra { data.append(extra) }
        defer { file = current }
        try current.commit(data)
        pending.removeAll()
    }

    private func savePending() throws(SessionError) {
        guard !pending.isEmpty else { return }
        do {
            try commit()
        } catch {
            throw .saveFailed(file: fileURL, reason: error.reason, unsavedMessages: unsavedMessageCount)
        }
    }

    private func savePartial(now: ContinuousClock.Instant) {
        partial.lastWrite = now
        guard let line = try? encodedLine(partial.nextEvent(count: messageCount)) else { return }
        do {
            try commit(extra: line)
            partial.markSaved(bytes: line.count)
        } catch {
            // Retried at the next report after the interval; `append` reports the failure.
        }
    }

    /// Ends the answer in progress: its partial lines are superseded.
    private func endPartial() {
        cancelFlush()
        supersededBytes += partial.savedBytes
        partial = PartialTracker()
    }

    private func scheduleFlush(at deadline: ContinuousClock.Instant) {
        guard flushTask == nil else { return }
        let generation = flushGeneration
        flushTask = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            await self?.flushScheduledPartial(generation: generation)
        }
    }

    private func flushScheduledPartial(generation: Int) {
        guard generation == flushGeneration else { return }
        flushTask = nil
        if file != nil, partial.isDirty { savePartial(now: .now) }
    }

    private func cancelFlush() {
        flushTask?.cancel()
        flushTask = nil
        flushGeneration += 1
    }

    // MARK: - Compaction

    /// Compacting costs a rewrite of the live file, so it waits until the garbage is at least as
    /// large as half the file (and 1 MiB): the rewrites cost O(1) per byte appended.
    private func compactIfWorthwhile() {
        guard let file, supersededBytes > max(1 << 20, file.committedLength / 2) else { return }
        // Garbage left in place loads the same; the next save that passes the threshold tries again.
        try? rewriteCompacted()
    }

    /// Replaces the file by a compacted copy: temporary file in the same folder, fsync, rename
    /// over the journal, fsync the folder. A crash at any point leaves the old or the new file.
    private func rewriteCompacted() throws(SessionIOError) {
        try commit()
        guard var current = file else { return }
        let io = current.io
        let old = try JournalPeek.readWhole(fileURL).prefix(Int(current.committedLength))
        let header = JournalHeader(
            format: JournalHeader.currentFormat, id: id, created: created, workingDirectory: workingDirectory.path,
            model: model, title: title, count: messageCount)
        let headerLine = try JournalCoding.line(.header(header), encoder: encoder)
        let partialLine = try partial.restatement(count: messageCount).map { event throws(SessionIOError) in
            try JournalCoding.line(event, encoder: encoder)
        }
        let compacted = JournalCompactor.compact(old, header: headerLine, trailing: partialLine)

        let temporary = SessionStore.temporaryPath(for: current.path, purpose: "compact")
        try? io.removeFile(temporary)
        let descriptor = try io.createExclusive(temporary, mode: SessionStore.fileMode)
        _ = JournalLock.tryLock(descriptor)
        do {
            try io.writeAll(descriptor, compacted, path: temporary)
            try io.sync(descriptor, path: temporary)
            try io.rename(temporary, to: current.path)
        } catch {
            io.close(descriptor)
            try? io.removeFile(temporary)
            throw error
        }
        let synced = (try? io.syncDirectory(current.directoryPath)) != nil
        current.replace(descriptor: descriptor, length: Int64(compacted.count), directorySynced: synced)
        file = current
        supersededBytes = 0
        partial.savedBytes = Int64(partialLine?.count ?? 0)
    }
}
