import Foundation
import Synchronization

/// How long a search may take, and whether its call was cancelled. Read from the thread that
/// searches (a regex in progress asks it every few milliseconds), set from anywhere.
final class SearchBudget: Sendable {
    enum Stop: Sendable, Equatable {
        case timedOut
        case cancelled
    }

    let limit: Duration
    private let deadline: ContinuousClock.Instant
    private let cancelled = Atomic<Bool>(false)

    init(limit: Duration) {
        self.limit = limit
        self.deadline = .now + limit
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Why the search must stop now, or nil to go on.
    var stop: Stop? {
        if cancelled.load(ordering: .relaxed) { return .cancelled }
        return ContinuousClock.now >= deadline ? .timedOut : nil
    }
}
