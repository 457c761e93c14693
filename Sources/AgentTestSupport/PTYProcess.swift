import Glibc

/// A position in a `PTYProcess`'s output, so a test can wait for text that appears after it
/// (the *second* prompt, say) rather than anywhere.
public struct PTYOutputMark: Sendable, Hashable, Comparable {
    /// Bytes of output before this mark, counted from the start (including cleared output).
    let offset: Int

    public static func < (lhs: PTYOutputMark, rhs: PTYOutputMark) -> Bool { lhs.offset < rhs.offset }
}

/// A program running on its own pseudo-terminal, driven like a person at a keyboard.
///
/// The terminal is the child's controlling terminal and its stdin, stdout and stderr, so
/// `isatty` is true, line editing and echo behave as in a real terminal, and Ctrl-C sent with
/// `sendControl("c")` reaches the foreground process group as SIGINT. A background thread
/// collects all output; waits are woken by new output, never by polling.
///
/// Output is kept raw (`output`) and as a person would read it (`plainOutput`: escape
/// sequences, carriage returns and bells removed). Text waits match either form.
///
/// Dropping the last reference kills the child if it still runs and closes the terminal.
public final class PTYProcess: Sendable {
    /// The child's process id; it leads its own session and process group.
    public let pid: pid_t
    /// The slave side's device path, such as /dev/pts/3.
    public let terminalPath: String
    private let monitor: PTYMonitor

    /// Starts `executable` on a new terminal of `columns` × `rows`.
    ///
    /// - Parameters:
    ///   - executable: a path, or a name looked up on `environment`'s `PATH`.
    ///   - environment: the child's whole environment; nothing is inherited.
    public init(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String,
        columns: Int = 100, rows: Int = 30
    ) throws {
        let child = try PTYSpawner.spawn(
            executable: executable, arguments: arguments, environment: environment,
            workingDirectory: workingDirectory, columns: columns, rows: rows
        )
        pid = child.pid
        terminalPath = child.terminalPath
        monitor = PTYMonitor(child)
        monitor.start()
    }

    deinit { monitor.terminate() }

    // MARK: Reading output

    /// Everything the program wrote since the last `clear()`, escapes included.
    public var output: String { monitor.snapshot { $0.text(from: $0.start) } }

    /// `output` as a person reads it: escape sequences, `\r` and bells removed.
    public var plainOutput: String { ANSIText.stripped(output) }

    /// The output written after `mark` (or since the last `clear()`, if that came later).
    public func output(after mark: PTYOutputMark) -> String { monitor.snapshot { $0.text(from: mark.offset) } }

    public func plainOutput(after mark: PTYOutputMark) -> String { ANSIText.stripped(output(after: mark)) }

    /// The current end of the output.
    public func mark() -> PTYOutputMark { PTYOutputMark(offset: monitor.snapshot(\.end)) }

    /// Forgets the output so far: later reads and waits without a mark start from here.
    public func clear() { monitor.clear() }

    // MARK: Typing

    /// Types `text` as UTF-8 bytes, exactly as given.
    public func send(_ text: String) { monitor.write(Array(text.utf8)) }

    public func send(bytes: [UInt8]) { monitor.write(bytes) }

    /// Types `text` and presses Return (which a terminal sends as `\r`).
    public func sendLine(_ text: String) { send(text + "\r") }

    /// Types Ctrl plus `character`: "c" sends 0x03 (SIGINT from the terminal), "d" 0x04 (end of
    /// input at the start of a line), "z" 0x1A, "[" 0x1B (Escape), "?" 0x7F (Delete).
    public func sendControl(_ character: Character) {
        guard let code = Self.controlCode(for: character) else {
            preconditionFailure("no control code for \(character)")
        }
        monitor.write([code])
    }

    static func controlCode(for character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return ascii - 0x60
        case UInt8(ascii: "@")...UInt8(ascii: "_"): return ascii - 0x40
        case UInt8(ascii: "?"): return 0x7F
        default: return nil
        }
    }

    /// Changes the terminal's size; the kernel sends SIGWINCH to the foreground process group.
    public func resize(columns: Int, rows: Int) { monitor.resize(columns: columns, rows: rows) }

    // MARK: Waiting for output

    /// Returns once the output after `mark` (default: since the last `clear()`) contains `text`,
    /// raw or with escapes removed.
    ///
    /// - Throws: `PTYError.timedOut` or `.outputEnded`, whose description ends with the
    ///   last 2,000 characters of output; `CancellationError` if the task is cancelled.
    public func waitFor(
        _ text: String, after mark: PTYOutputMark? = nil, timeout: Duration = .seconds(20)
    ) async throws {
        _ = try await awaitOutput(awaited: String(reflecting: text), after: mark, timeout: timeout) { raw, plain in
            raw.contains(text) || plain.contains(text) ? text : nil
        }
    }

    /// Returns the first match of the regular expression `pattern` in the plain output after
    /// `mark`, once there is one.
    @discardableResult
    public func waitFor(
        regex pattern: String, after mark: PTYOutputMark? = nil, timeout: Duration = .seconds(20)
    ) async throws -> String {
        do {
            _ = try Regex(pattern)
        } catch {
            throw PTYError.invalidPattern(pattern, reason: String(describing: error))
        }
        // `Regex` is not Sendable, so each check compiles its own.
        return try await awaitOutput(awaited: "regex /\(pattern)/", after: mark, timeout: timeout) { _, plain in
            guard let regex = try? Regex(pattern), let match = plain.firstMatch(of: regex) else { return nil }
            return String(plain[match.range])
        }
    }

    /// Returns once `predicate` holds for the plain output after `mark`. `description` names
    /// the condition in the timeout error. The predicate runs under the output lock: it must be
    /// quick and must not call back into this process.
    public func waitFor(
        _ description: String, after mark: PTYOutputMark? = nil, timeout: Duration = .seconds(20),
        satisfying predicate: @escaping @Sendable (String) -> Bool
    ) async throws {
        _ = try await awaitOutput(awaited: description, after: mark, timeout: timeout) { _, plain in
            predicate(plain) ? plain : nil
        }
    }

    private func awaitOutput(
        awaited: String, after mark: PTYOutputMark?, timeout: Duration,
        match: @escaping @Sendable (_ raw: String, _ plain: String) -> String?
    ) async throws -> String {
        let monitor = monitor
        let id = monitor.makeWaiterID()
        let pid = pid
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            monitor.fail(id) { state in
                PTYError.timedOut(
                    waitingFor: awaited, after: timeout, process: state.processDescription(pid: pid), tail: state.tail
                )
            }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                monitor.awaitOutput(
                    id: id, start: mark?.offset ?? 0, awaited: awaited, match: match, continuation: continuation
                )
            }
        } onCancel: {
            monitor.fail(id) { _ in CancellationError() }
        }
    }

    // MARK: Signals and exit

    /// Sends `signal` to the child (not its group) unless it has already exited.
    public func signal(_ signal: Int32) { monitor.signal(signal) }

    /// The exit status once the child has exited and been reaped, else nil.
    public var exitStatus: Int32? { monitor.snapshot { try? $0.exit?.get() } }

    /// Waits for the child to exit and returns its status: the exit code, or 128 + the signal
    /// that killed it (143 for SIGTERM). Output may still be arriving when this returns: wait
    /// for text to see it.
    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let monitor = monitor
        let id = monitor.makeWaiterID()
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            monitor.fail(id) { state in PTYError.exitTimedOut(after: timeout, tail: state.tail) }
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                monitor.awaitExit(id: id, continuation: continuation)
            }
        } onCancel: {
            monitor.fail(id) { _ in CancellationError() }
        }
    }

    /// Kills the child's process group with SIGKILL if the child still runs, then closes the
    /// terminal. Returns once every descriptor is closed; pending output waits then fail.
    public func terminate() { monitor.terminate() }
}
