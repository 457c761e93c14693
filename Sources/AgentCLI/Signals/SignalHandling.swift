import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Signals, the way a terminal program needs them.
///
/// SIGINT: a `sigaction` handler without SA_RESTART, so a blocked `readline()` returns (a
/// DispatchSource alone would not interrupt it); the handler only sets a flag and writes a byte
/// to a self-pipe, and a read source on that pipe calls `onInterrupt` on a normal thread.
/// SIGTERM and SIGHUP: DispatchSource signal sources, installed before anything else runs
/// (`installTermination`), hand the signal to `Termination`, which runs what the current phase
/// registered (save the session) or, before any is registered, restores the terminal and exits
/// with 128 + the signal. So no phase (preflight, reading stdin, an approval prompt, a tool,
/// the final save) can drop or ignore one.
enum SignalHandling {
    static let interruptedAtPrompt = Atomic<Bool>(false)
    /// The thread blocked in `readline()`, or 0. A process-directed SIGINT lands on any thread,
    /// and only the one it lands on sees EINTR, so the handler forwards it to this one.
    static let readerThread = Atomic<UInt>(0)
    nonisolated(unsafe) static var pipeWriteFD: Int32 = -1
    nonisolated(unsafe) private static var sources: [any DispatchSourceProtocol] = []
    private static let queue = DispatchQueue(label: "agent.signals")
    private static let terminationInstalled = Atomic<Bool>(false)

    /// The main thread only waits for `exit`, so it is where process-directed signals land.
    /// SIGINT must be open here, even if the parent blocked it: the pool's threads block it, and
    /// the handler passes it on to the line reader. SIGTERM and SIGHUP must stay pending for
    /// their dispatch sources (a signalfd), so no thread may take them: the pool blocks them,
    /// and so does this one.
    static func prepareMainThread() {
        setMask(SIG_UNBLOCK, [SIGINT])
        setMask(SIG_BLOCK, [SIGTERM, SIGHUP])
    }

    private static func setMask(_ how: Int32, _ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(how, &set, nil)
    }

    /// Starts listening for SIGTERM and SIGHUP; idempotent. Call before any work, so a signal
    /// that arrives during start-up is acted on, not lost (ignoring a blocked signal discards it).
    static func installTermination() {
        guard !terminationInstalled.exchange(true, ordering: .relaxed) else { return }
        // One that arrived since start is pending (blocked on every thread), and SIG_IGN below
        // would discard it: note it first, act on it once the sources are in place.
        var pending = sigset_t()
        sigpending(&pending)
        let early = [SIGTERM, SIGHUP].first { sigismember(&pending, $0) == 1 }
        defer { if let early { Termination.shared.handle(early) } }
        for sig in [SIGTERM, SIGHUP] {
            // The source reads the signal from a signalfd while it is blocked on every thread;
            // SIG_IGN keeps it from killing the process should some thread unblock it.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            // Must be @Sendable: otherwise it is inferred @MainActor and traps on this queue.
            source.setEventHandler { @Sendable in Termination.shared.handle(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// Wakes the thread blocked in `readline()` (an approval prompt whose turn is being
    /// cancelled) the way Ctrl-C does: it sees EINTR and returns.
    static func interruptReader() {
        let reader = readerThread.load(ordering: .relaxed)
        if reader != 0 { pthread_kill(reader, SIGINT) }
    }

    /// A Ctrl-C at the prompt that landed while libedit was not blocked in `read` (redrawing a
    /// recalled line, say) sets the flag but gives no EINTR, and `readline()` would then wait
    /// for a key with the interruption unseen. So while the reader still waits with the flag
    /// set, SIGINT is sent to it again, every 50 ms, until `readline()` returns.
    private static func kickReaderAgainIfStillWaiting() {
        queue.asyncAfter(deadline: .now() + .milliseconds(50)) { @Sendable in
            guard interruptedAtPrompt.load(ordering: .relaxed) else { return }
            interruptReader()
        }
    }

    /// Ctrl-C calls `onInterrupt`; SIGTERM and SIGHUP call `onTerminate`, which must end the
    /// process (it saves, then exits with 128 + the signal).
    static func install(onInterrupt: @escaping @Sendable () -> Void,
                        onTerminate: @escaping @Sendable (Int32) -> Void) {
        installTermination()
        Termination.shared.setHandler(onTerminate)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        pipeWriteFD = fds[1]
        let readFD = fds[0]

        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            let reader = SignalHandling.readerThread.load(ordering: .relaxed)
            if reader != 0 && reader != pthread_self() {
                pthread_kill(reader, sig)
                return
            }
            SignalHandling.interruptedAtPrompt.store(true, ordering: .relaxed)
            var byte: UInt8 = 1
            _ = write(SignalHandling.pipeWriteFD, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: readline must see EINTR
        sigaction(SIGINT, &action, nil)

        let reader = DispatchSource.makeReadSource(fileDescriptor: readFD, queue: queue)
        reader.setEventHandler { @Sendable in
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(readFD, &buffer, buffer.count) > 0 {}
            onInterrupt()
            kickReaderAgainIfStillWaiting()
        }
        reader.resume()
        sources.append(reader)
    }
}

extension SignalHandling {
    /// The signals of a conversation: Ctrl-C cancels the running turn; SIGTERM or SIGHUP
    /// cancels it and waits until it has recorded what it had, then `finish` saves and tidies
    /// up, and the process exits 128 + the signal.
    static func install(runner: TurnRunner, finish: @escaping @Sendable () async -> Void) {
        install(
            onInterrupt: { runner.interrupt() },
            onTerminate: { sig in
                Task {
                    await runner.terminate(signal: sig)
                    await finish()
                    exit(128 + sig)
                }
            })
    }
}
