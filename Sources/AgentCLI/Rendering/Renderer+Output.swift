import Foundation

/// Bytes produced under the renderer's lock, waiting to be written outside it, in order.
struct OutputQueue {
    var pending: [(fd: Int32, text: String)] = []
    /// A thread is writing: others queue their bytes and return, and it writes them too.
    var writing = false
    var waiters: [CheckedContinuation<Void, Never>] = []
}

extension Renderer {
    /// Runs `body` under the lock and writes what it returns to stdout, outside the lock.
    func emit(_ body: (inout State) -> String) {
        emitPieces { state in [(Int32(1), body(&state))] }
    }

    /// Runs `body` under the lock and writes each piece it returns to its descriptor. The first
    /// caller that finds nobody writing becomes the writer and drains the queue; the order in
    /// which bodies ran is the order on screen.
    func emitPieces(_ body: (inout State) -> [(Int32, String)]) {
        let becameWriter = state.withLock { state -> Bool in
            for (fd, text) in body(&state) where !text.isEmpty { state.output.pending.append((fd, text)) }
            guard !state.output.writing, !state.output.pending.isEmpty else { return false }
            state.output.writing = true
            return true
        }
        if becameWriter { drain() }
    }

    private func drain() {
        while true {
            let (batch, waiters) = state.withLock { state -> ([(fd: Int32, text: String)], [CheckedContinuation<Void, Never>]) in
                let batch = state.output.pending
                state.output.pending = []
                guard batch.isEmpty else { return (batch, []) }
                state.output.writing = false
                defer { state.output.waiters = [] }
                return ([], state.output.waiters)
            }
            if batch.isEmpty {
                for waiter in waiters { waiter.resume() }
                return
            }
            for piece in batch { options.sink(piece.text, piece.fd) }
        }
    }

    /// Returns once everything emitted so far is written (another thread may be writing it).
    func flushed() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                guard state.output.writing else { return true }
                state.output.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
