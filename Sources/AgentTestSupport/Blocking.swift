import Foundation

/// Runs a blocking call (a pipe read, `waitUntilExit`) on a thread of its own and awaits its
/// result. On the cooperative pool, which has one thread per core (two here), a blocked thread
/// starves every other test's timers and the in-process fake servers.
public func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
