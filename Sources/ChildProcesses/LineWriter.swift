import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole lines to a pipe through a serial queue: lines never interleave, they leave in
/// the order they were given, and a reader that stops reading blocks neither the caller nor
/// Swift's cooperative pool.
///
/// Invariant: the descriptor is closed by the queue alone, after the writes queued before
/// `close()`, so it is never closed under a write in flight. Owns `fd`.
public final class LineWriter: Sendable {
    private let fd: Int32
    private let queue: DispatchQueue
    private let state = Mutex(State())

    private struct State {
        var closed = false
        /// The first write that failed (EPIPE once the reader has gone), as errno.
        var failure: Int32?
    }

    public init(fd: Int32, label: String) {
        self.fd = fd
        queue = DispatchQueue(label: label)
        // A write to a pipe whose reader has gone must fail with EPIPE, not end the process:
        // SIGPIPE's default action kills. agent ignores it already; a process that does not
        // gets it ignored here (children are spawned with it reset to the default).
        var current = sigaction()
        if sigaction(SIGPIPE, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil {
            signal(SIGPIPE, SIG_IGN)
        }
    }

    /// Queues `line` (its newline included) and returns at once; false when the writer is closed
    /// or an earlier write failed.
    @discardableResult
    public func send(_ line: Data) -> Bool {
        let open = state.withLock { !$0.closed && $0.failure == nil }
        guard open else { return false }
        queue.async { [self] in
            guard state.withLock({ $0.failure == nil }) else { return }
            if let failure = Self.writeAll(line, to: fd) { state.withLock { $0.failure = failure } }
        }
        return true
    }

    /// Closes the descriptor once the lines already queued are written: the reader then sees
    /// the end of its input.
    public func close() {
        let first = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        let fd = self.fd
        queue.async { closeDescriptor(fd) }
    }

    /// Returns once everything queued so far has been written (or has failed).
    public func drain() {
        queue.sync {}
    }

    /// Writes every byte; returns errno on failure (EPIPE once the reader has gone).
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, base + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return n < 0 ? errno : EIO
                }
            }
            return nil
        }
    }
}

/// `close(2)`, out of reach of `LineWriter.close()`'s name.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
