import AgentCore
import AgentProtocol
import Foundation
import Synchronization

/// Makes the conversation durable in a session journal, created on the first message so an
/// opened-and-closed agent leaves no empty session behind.
///
/// With autosave off, messages wait in memory until `/save`, after which saving continues.
/// A failed save prints one warning; the journal keeps the messages and writes them with the
/// next save that succeeds. Nothing is swallowed: a failure to save on close or on `/model` is
/// reported through the same `warn`.
actor SessionRecorder: ConversationRecorder {
    private let store: SessionStore
    private let workingDirectory: URL
    private var model: String
    private var autosave: Bool
    private(set) var journal: SessionJournal?
    /// Messages and compaction records not yet handed to the journal, in order.
    private var waiting: [Entry] = []
    private var warnedAboutFailure = false
    /// The write in progress, which the next one waits for (`writeWaiting`).
    private var writer: Task<Void, Never>?
    private let warn: @Sendable (String) -> Void
    /// Where streamed text goes without a hop to this actor: the journal, while autosave is on.
    private let partialTarget = Mutex<SessionJournal?>(nil)

    init(store: SessionStore, workingDirectory: URL, model: String, autosave: Bool, journal: SessionJournal? = nil,
         warn: @escaping @Sendable (String) -> Void) {
        self.store = store
        self.workingDirectory = workingDirectory
        self.model = model
        self.autosave = autosave
        self.journal = journal
        self.warn = warn
        if autosave { partialTarget.withLock { $0 = journal } }
    }

    /// What the journal is given, in the order the conversation made it.
    private enum Entry {
        case message(Message)
        case compaction(CompactionEntry)
    }

    var sessionID: String? { journal?.id }

    func record(_ message: Message) async {
        waiting.append(.message(message))
        guard autosave else { return }
        await writeWaiting()
    }

    /// Saved after the messages recorded before it, like one of them.
    func recordCompaction(_ entry: CompactionEntry) async {
        waiting.append(.compaction(entry))
        guard autosave else { return }
        await writeWaiting()
    }

    /// Called for every streamed chunk: hands the piece to the journal, which throttles.
    nonisolated func recordPartial(appending text: String, reasoning: String) {
        partialTarget.withLock { $0 }?.offerPartial(appending: text, reasoning: reasoning)
    }

    func discardPartial() async {
        guard autosave, let journal else { return }
        await journal.discardPartial()
    }

    /// `/model`: later messages are saved under the new model's name. A failed save is reported
    /// as any other and retried with the next one.
    func setModel(_ model: String) async {
        self.model = model
        guard let journal else { return }
        do {
            try await journal.setModel(model)
        } catch {
            report(error)
        }
    }

    /// `/save [title]`: saves everything now and keeps saving from then on.
    func saveNow(title: String?) async throws(SessionError) -> SessionJournal {
        autosave = true
        let journal = try ensureJournal()
        partialTarget.withLock { $0 = journal }
        await writeWaiting()
        if let title { try await journal.setTitle(title) }
        try await journal.flush()
        return journal
    }

    /// Saves what is still unsaved and releases the journal. It is the last chance to save, so a
    /// failure is always reported, with what it lost.
    func close() async {
        guard let journal else { return }
        if autosave && !waiting.isEmpty { await writeWaiting() }
        do {
            try await journal.close()
        } catch {
            warn(Self.closingFailure(error))
        }
    }

    static func closingFailure(_ error: SessionError) -> String {
        guard case .saveFailed(let file, let reason, let unsaved) = error else { return "warning: \(error)" }
        return "warning: could not save session to \(file.path): \(reason); "
            + "\(unsaved) message\(unsaved == 1 ? " was" : "s were") not saved"
    }

    private func ensureJournal() throws(SessionError) -> SessionJournal {
        if let journal { return journal }
        let created = try store.create(workingDirectory: workingDirectory, model: model)
        journal = created
        if autosave { partialTarget.withLock { $0 = created } }
        return created
    }

    /// One write of the waiting messages at a time: the actor is reentrant at each `append`, and
    /// a second writer (a signal's `close()` during a turn's `record`) would write the same
    /// message twice and then remove one more than was written (a crash on an empty array).
    private func writeWaiting() async {
        let previous = writer
        let mine = Task { await previous?.value; await self.drainWaiting() }
        writer = mine
        await mine.value
    }

    private func drainWaiting() async {
        do throws(SessionError) {
            let journal = try ensureJournal()
            while let first = waiting.first {
                switch first {
                case .message(let message): try await journal.append(message)
                case .compaction(let entry): try await journal.appendCompaction(entry)
                }
                waiting.removeFirst()
            }
            warnedAboutFailure = false
        } catch {
            if case .saveFailed = error, !waiting.isEmpty {
                // The journal keeps the message it failed to write and writes it first next time;
                // the ones after it wait here.
                waiting.removeFirst()
            }
            report(error)
        }
    }

    /// One warning per run of failures: the next save that succeeds re-arms it.
    private func report(_ error: SessionError) {
        guard !warnedAboutFailure else { return }
        warnedAboutFailure = true
        warn("warning: \(error)")
    }
}
