import Foundation

/// What `/undo` did.
public struct UndoReport: Sendable, Equatable {
    /// Files put back as they were before the turn (changed or deleted by it).
    public var restored: [String]
    /// Files the turn created, removed again.
    public var removed: [String]
    /// Files the turn changed that changed again after it: left as they are now.
    public var leftAlone: [String]
    /// The turn's end was never recorded (agent was stopped mid-turn), so everything that
    /// differs from before the turn was undone.
    public var endUnknown: Bool
}

/// What `/diff` shows.
public struct TurnDiff: Sendable, Equatable {
    public var changes: [WorkspaceChange]
    /// A unified diff, as `git diff` prints it.
    public var patch: String
    public var endUnknown: Bool
}

public enum CheckpointResult<Value: Sendable>: Sendable {
    case done(Value)
    /// Nothing to undo or show, with a sentence saying why.
    case nothing(String)
    case failed(String)
}

extension Checkpointer {
    static let nothingYet = "No file changes recorded in this session yet."

    /// Restores the files the newest checkpointed turn changed and removes the ones it created,
    /// then drops that checkpoint, so the next `/undo` goes one turn further back.
    public func undo() async -> CheckpointResult<UndoReport> {
        do throws(CheckpointError) {
            guard let (repository, entry) = try await lastEntry() else { return .nothing(offReason ?? Self.nothingYet) }
            let report = try await repository.withLock { () throws(CheckpointError) -> UndoReport in
                let span = try await span(of: entry, in: repository)
                let changes = try await repository.changes(from: span.before, to: span.after)
                // Only the turn's paths are compared with the workspace: no walk of all of it.
                let current = span.endUnknown
                    ? span.after
                    : try await repository.scratch(from: span.after).snapshot(
                        only: changes.map(\.path), timeout: .seconds(60))
                let changedAgain = Set(try await repository.changes(from: span.after, to: current).map(\.path))
                var report = UndoReport(restored: [], removed: [], leftAlone: [], endUnknown: span.endUnknown)
                for change in changes {
                    if changedAgain.contains(change.path) {
                        report.leftAlone.append(change.path)
                    } else if change.kind == .added {
                        report.removed.append(change.path)
                    } else {
                        report.restored.append(change.path)
                    }
                }
                try await repository.remove(report.removed, keeping: span.before)
                try await repository.checkout(report.restored, from: span.before)
                try await repository.deleteRef(entry.ref)
                return report
            }
            return .done(report)
        } catch {
            return .failed("could not undo: \(error)")
        }
    }

    /// What the newest checkpointed turn changed.
    public func lastTurnDiff() async -> CheckpointResult<TurnDiff> {
        do throws(CheckpointError) {
            guard let (repository, entry) = try await lastEntry() else { return .nothing(offReason ?? Self.nothingYet) }
            let diff = try await repository.withLock { () throws(CheckpointError) -> TurnDiff in
                let span = try await span(of: entry, in: repository)
                return TurnDiff(
                    changes: try await repository.changes(from: span.before, to: span.after),
                    patch: try await repository.patch(from: span.before, to: span.after), endUnknown: span.endUnknown)
            }
            return .done(diff)
        } catch {
            return .failed("could not show the changes: \(error)")
        }
    }

    private struct Span {
        var before: String
        var after: String
        var endUnknown: Bool
    }

    /// The trees before and after the checkpoint's turn. A checkpoint whose end was never
    /// recorded ends with the workspace as it is now.
    private func span(of entry: Entry, in repository: ShadowRepository) async throws(CheckpointError) -> Span {
        let trees = try await repository.trees(of: entry.commit)
        if let parentTree = trees.parentTree { return Span(before: parentTree, after: trees.tree, endUnknown: false) }
        let now = try await repository.snapshot(timeout: .seconds(60))
        return Span(before: trees.tree, after: now, endUnknown: true)
    }

    private var offReason: String? {
        isOff ? "Checkpoints are off in this session (see the note above), so there is nothing to undo." : nil
    }
}
