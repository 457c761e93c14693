import Dispatch
import Foundation
import Glibc
import Synchronization

/// The state a `PTYProcess` shares with the thread that reads its terminal and the thread that
/// waits for its child.
///
/// Invariants: output only grows between `clear()` calls, and offsets into it are absolute (a
/// mark taken before `clear()` stays meaningful); every waiter is resumed exactly once; the
/// child is signalled only before its exit has been observed, so a reused pid is never hit; the
/// master is closed only after the reader thread has stopped and never during a write.
final class PTYMonitor: Sendable {
    struct OutputWaiter {
        let start: Int
        let awaited: String
        let match: @Sendable (_ raw: String, _ plain: String) -> String?
        let continuation: CheckedContinuation<String, any Error>
    }

    struct State {
        var bytes: [UInt8] = []
        /// Absolute offset of `bytes[0]`: how much output `clear()` has dropped.
        var start = 0
        var outputEnded = false
        var exitObserved = false
        var exit: Result<Int32, PTYError>?
        var closing = false
        var nextID = 0
        /// Waiters that were created and have not been resumed yet.
        var pending: Set<Int> = []
        /// Failures (timeout, cancellation) that arrived before their waiter was registered.
        var earlyFailures: [Int: any Error] = [:]
        var outputWaiters: [Int: OutputWaiter] = [:]
        var exitWaiters: [Int: CheckedContinuation<Int32, any Error>] = [:]

        var end: Int { start + bytes.count }

        func text(from offset: Int) -> String {
            String(decoding: bytes[(min(max(offset, start), end) - start)...], as: UTF8.self)
        }

        var tail: String { String(ANSIText.stripped(text(from: start)).suffix(PTYError.tailLength)) }

        func processDescription(pid: pid_t) -> String {
            switch exit {
            case .success(let status): "process \(pid) exited with status \(status)"
            case .failure: "process \(pid) exited"
            case nil: "process \(pid) still running"
            }
        }
    }

    let pid: pid_t
    let terminalPath: String
    private let masterFD: Int32
    private let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    private let state = Mutex(State())
    /// True while the master is open; held across each write so `terminate()` cannot close the
    /// descriptor underneath it.
    private let masterOpen = Mutex(true)
    private let readerStopped = DispatchSemaphore(value: 0)

    init(_ child: PTYChild) {
        pid = child.pid
        terminalPath = child.terminalPath
        masterFD = child.masterFD
        wakeReadFD = child.wakeReadFD
        wakeWriteFD = child.wakeWriteFD
    }

    /// Starts the reader and reaper threads; each keeps the monitor alive until it ends.
    func start() {
        let reader = Thread { [self] in readUntilClosed() }
        reader.name = "pty-reader-\(pid)"
        reader.start()
        let reaper = Thread { [self] in reap() }
        reaper.name = "pty-reaper-\(pid)"
        reaper.start()
    }

    // MARK: Output

    func snapshot<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }

    func clear() { state.withLock { $0.start = $0.end; $0.bytes.removeAll() } }

    func makeWaiterID() -> Int {
        state.withLock { state in
            state.nextID += 1
            state.pending.insert(state.nextID)
            return state.nextID
        }
    }

    /// Resumes `continuation` with the match as soon as the output from `start` on satisfies
    /// `match`, or with an error when the output ends first or the waiter fails.
    func awaitOutput(
        id: Int, start: Int, awaited: String, match: @escaping @Sendable (String, String) -> String?,
        continuation: CheckedContinuation<String, any Error>
    ) {
        let outcome = state.withLock { state -> Result<String, any Error>? in
            if let failure = state.earlyFailures.removeValue(forKey: id) {
                state.pending.remove(id)
                return .failure(failure)
            }
            let raw = state.text(from: start)
            if let matched = match(raw, ANSIText.stripped(raw)) {
                state.pending.remove(id)
                return .success(matched)
            }
            if state.outputEnded {
                state.pending.remove(id)
                return .failure(
                    PTYError.outputEnded(
                        waitingFor: awaited, process: state.processDescription(pid: pid), tail: state.tail
                    )
                )
            }
            state.outputWaiters[id] = OutputWaiter(
                start: start, awaited: awaited, match: match, continuation: continuation
            )
            return nil
        }
        if let outcome { continuation.resume(with: outcome) }
    }

    func awaitExit(id: Int, continuation: CheckedContinuation<Int32, any Error>) {
        let outcome = state.withLock { state -> Result<Int32, any Error>? in
            if let failure = state.earlyFailures.removeValue(forKey: id) {
                state.pending.remove(id)
                return .failure(failure)
            }
            if let exit = state.exit {
                state.pending.remove(id)
                return exit.mapError { $0 }
            }
            state.exitWaiters[id] = continuation
            return nil
        }
        if let outcome { continuation.resume(with: outcome) }
    }

    /// Fails waiter `id` with the error `makeError` builds from the current state, unless it
    /// has already been resumed.
    func fail(_ id: Int, with makeError: (State) -> any Error) {
        enum Resumption { case output(CheckedContinuation<String, any Error>), exit(CheckedContinuation<Int32, any Error>) }
        let (resumption, error) = state.withLock { state -> (Resumption?, (any Error)?) in
            guard state.pending.contains(id) else { return (nil, nil) }
            let error = makeError(state)
            if let waiter = state.outputWaiters.removeValue(forKey: id) {
                state.pending.remove(id)
                return (.output(waiter.continuation), error)
            }
            if let continuation = state.exitWaiters.removeValue(forKey: id) {
                state.pending.remove(id)
                return (.exit(continuation), error)
            }
            state.earlyFailures[id] = error
            return (nil, nil)
        }
        guard let resumption, let error else { return }
        switch resumption {
        case .output(let continuation): continuation.resume(throwing: error)
        case .exit(let continuation): continuation.resume(throwing: error)
        }
    }

    private func append(_ chunk: ArraySlice<UInt8>) {
        let ready = state.withLock { state -> [(CheckedContinuation<String, any Error>, String)] in
            state.bytes.append(contentsOf: chunk)
            var ready: [(CheckedContinuation<String, any Error>, String)] = []
            for (id, waiter) in state.outputWaiters {
                let raw = state.text(from: waiter.start)
                guard let matched = waiter.match(raw, ANSIText.stripped(raw)) else { continue }
                ready.append((waiter.continuation, matched))
                state.outputWaiters[id] = nil
                state.pending.remove(id)
            }
            return ready
        }
        for (continuation, matched) in ready { continuation.resume(returning: matched) }
    }

    private func endOutput() {
        let failed = state.withLock { state -> [(CheckedContinuation<String, any Error>, PTYError)] in
            state.outputEnded = true
            let process = state.processDescription(pid: pid)
            let failed = state.outputWaiters.map { id, waiter in
                state.pending.remove(id)
                return (
                    waiter.continuation,
                    PTYError.outputEnded(waitingFor: waiter.awaited, process: process, tail: state.tail)
                )
            }
            state.outputWaiters.removeAll()
            return failed
        }
        for (continuation, error) in failed { continuation.resume(throwing: error) }
    }

    private func readUntilClosed() {
        defer { readerStopped.signal() }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var descriptors = [
            pollfd(fd: masterFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if descriptors[1].revents != 0 { break }
            if descriptors[0].revents == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(masterFD, $0.baseAddress, $0.count) }
            if count > 0 {
                append(buffer[0..<count])
            } else if count < 0, errno == EINTR || errno == EAGAIN {
                continue
            } else {
                // EIO: every holder of the slave side has closed it.
                break
            }
        }
        endOutput()
    }

    // MARK: Input

    /// Writes all of `bytes` unless the terminal is gone. Bytes sent to a terminal nobody
    /// holds are dropped; the next wait then reports that the output ended.
    func write(_ bytes: [UInt8]) {
        masterOpen.withLock { isOpen in
            guard isOpen else { return }
            let deadline = ContinuousClock.now + .seconds(10)
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(masterFD, $0.baseAddress, $0.count) }
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN, ContinuousClock.now < deadline {
                    // The child is not reading and the terminal's input queue is full.
                    var descriptor = pollfd(fd: masterFD, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&descriptor, 1, 1_000)
                } else {
                    return
                }
            }
        }
    }

    func resize(columns: Int, rows: Int) {
        masterOpen.withLock { isOpen in
            guard isOpen else { return }
            var size = winsize(
                ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: columns), ws_xpixel: 0, ws_ypixel: 0
            )
            _ = ioctl(masterFD, UInt(TIOCSWINSZ), &size)
        }
    }

    // MARK: Process

    func signal(_ signal: Int32) {
        state.withLock { state in
            guard !state.exitObserved else { return }
            _ = kill(pid, signal)
        }
    }

    /// Kills the child's process group if it is still running, stops the reader and closes
    /// every descriptor. Returns once they are closed; later calls do nothing.
    func terminate() {
        let first = state.withLock { state -> Bool in
            defer { state.closing = true }
            if !state.exitObserved {
                // The child leads its own session, so its pid is also its process group.
                _ = kill(-pid, SIGKILL)
                _ = kill(pid, SIGKILL)
            }
            return !state.closing
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWriteFD, &byte, 1)
        readerStopped.wait()
        masterOpen.withLock { isOpen in
            isOpen = false
            PTYSpawner.close([masterFD, wakeReadFD, wakeWriteFD])
        }
    }

    /// Waits for the child on this thread. `waitid(WNOWAIT)` first observes the exit while the
    /// pid still names a zombie, so `signal(_:)` can stop using it before it is reaped.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno == EINTR { continue }
            recordExit(.failure(.exitStatusUnavailable(errno: errno)))
            return
        }
        state.withLock { $0.exitObserved = true }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno == EINTR { continue }
            recordExit(.failure(.exitStatusUnavailable(errno: errno)))
            return
        }
        recordExit(.success(Self.exitCode(waitStatus: status)))
    }

    /// The shell's convention: the exit code, or 128 + the signal that killed the process.
    static func exitCode(waitStatus status: Int32) -> Int32 {
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    private func recordExit(_ exit: Result<Int32, PTYError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Int32, any Error>] in
            state.exitObserved = true
            state.exit = exit
            let waiters = Array(state.exitWaiters.values)
            for id in state.exitWaiters.keys { state.pending.remove(id) }
            state.exitWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume(with: exit.mapError { $0 }) }
    }
}
