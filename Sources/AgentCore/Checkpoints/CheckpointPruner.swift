import Foundation

/// Removes checkpoints together with their sessions: a session's refs go when its journal is
/// gone (pruned, deleted, or removed by hand), those of unsaved sessions a day after their last
/// change, and a workspace's whole shadow folder once it holds no checkpoint and has not been
/// used for a day.
///
/// Cheap when there is nothing to do (a directory listing per workspace), because it runs at
/// every start. Objects no ref reaches any more are dropped by a `git prune` started in the
/// background, which keeps anything younger than an hour (a snapshot in flight).
public enum CheckpointPruner {
    public static let unsavedLifetime: TimeInterval = 86_400

    /// Returns how many sessions' checkpoints were removed.
    @discardableResult
    public static func prune(checkpointsDirectory: String, existingSessions: Set<String>, now: Date = Date()) -> Int {
        let fileManager = FileManager.default
        guard let folders = try? fileManager.contentsOfDirectory(atPath: checkpointsDirectory) else { return 0 }
        var removed = 0
        for name in folders where !name.hasPrefix(".") {
            let folder = checkpointsDirectory + "/" + name
            let refs = folder + "/git/refs/checkpoints"
            let owners = (try? fileManager.contentsOfDirectory(atPath: refs)) ?? []
            var removedHere = 0
            for owner in owners where isGone(owner, refs + "/" + owner, existingSessions, now) {
                // One that cannot be removed now is tried again at the next start.
                guard (try? fileManager.removeItem(atPath: refs + "/" + owner)) != nil else { continue }
                removedHere += 1
            }
            removed += removedHere
            if removedHere == owners.count, let used = modified(folder + "/git/index") ?? modified(folder),
                now.timeIntervalSince(used) > unsavedLifetime
            {
                try? fileManager.removeItem(atPath: folder)
            } else if removedHere > 0, let gitExecutable = GitRunner.find() {
                startPrune(folder: folder, gitExecutable: gitExecutable)
            }
        }
        return removed
    }

    private static func isGone(_ owner: String, _ path: String, _ sessions: Set<String>, _ now: Date) -> Bool {
        if SessionID.isValid(owner) { return !sessions.contains(owner) }
        guard let changed = modified(path) else { return false }
        return now.timeIntervalSince(changed) > unsavedLifetime
    }

    private static func modified(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return JournalPeek.modificationDate(info)
    }

    private static func startPrune(folder: String, gitExecutable: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gitExecutable)
        process.arguments = ["prune", "--expire=1.hour.ago"]
        let runner = GitRunner(executable: gitExecutable, gitDirectory: folder + "/git", workTree: folder, home: folder)
        process.environment = Dictionary(uniqueKeysWithValues: runner.environment.map { ($0.key.rawValue, $0.value) })
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Not waited for: it runs on after agent exits, and a failure only leaves garbage.
        try? process.run()
    }
}
