import Foundation

extension SessionStore {
    /// Removes old sessions and returns the ones removed (or, with `dryRun`, the ones that would be).
    ///
    /// A session goes when it is older than `maxAgeDays` (by last change) or when `keep` newer
    /// sessions are already kept. Never removed: the `except` session (kept in addition to the
    /// `keep` newest), sessions open in a running agent or written since the listing, files
    /// moved aside as corrupt, and journals that cannot be read (they count among the kept).
    /// `nil`, zero or negative limits mean no limit, so a mistyped setting cannot wipe the store.
    public func prune(
        keep: Int?, maxAgeDays: Int?, except: String? = nil, dryRun: Bool = false, now: Date = Date()
    ) throws(SessionError) -> [SessionSummary] {
        let keepLimit = keep.flatMap { $0 > 0 ? $0 : nil }
        let cutoff = maxAgeDays.flatMap { $0 > 0 ? now.addingTimeInterval(-Double($0) * 86_400) : nil }
        var kept = 0
        var doomedFiles: [SessionFile] = []
        for file in try sessionFiles() where file.id != except {
            let tooOld = cutoff.map { file.updated < $0 } ?? false
            let beyondKeep = keepLimit.map { kept >= $0 } ?? false
            if tooOld || beyondKeep {
                doomedFiles.append(file)
            } else {
                kept += 1
            }
        }
        // Only the doomed are read, for what the caller reports; an unreadable one stays.
        let peek = JournalPeek()
        let doomed = doomedFiles.compactMap { file in peek.summary(of: file.url, id: file.id).map { (file, $0) } }
        guard !dryRun else { return doomed.map(\.1).filter { !JournalLock.isHeld(path: $0.fileURL.path) } }

        // Removed under the journal's lock and only if unchanged since it was chosen, so a
        // session another agent is using, or has just written, is never lost.
        let removed = doomed.filter { removeLocked($0.0.url, ifUnchangedSince: $0.0.updated) == .removed }.map(\.1)
        removeAbandonedTemporaryFiles(now: now)
        if !removed.isEmpty { try? io.syncDirectory(directory.path) }
        return removed
    }

    /// A crash while a file was being created or compacted leaves a hidden temporary file; any
    /// older than an hour belongs to no running writer.
    private func removeAbandonedTemporaryFiles(now: Date) {
        // Best effort, after a listing that worked: what stays is tried again at the next start.
        let names = (try? folderNames()) ?? []
        for name in names where name.hasPrefix(".") && (name.hasSuffix(".jsonl.new") || name.hasSuffix(".jsonl.compact")) {
            let url = directory.appendingPathComponent(name)
            guard let modified = modificationDate(url), modified < now.addingTimeInterval(-3600) else { continue }
            try? io.removeFile(url.path)
        }
    }
}
