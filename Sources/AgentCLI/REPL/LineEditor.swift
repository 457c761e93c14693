@preconcurrency import CLibEdit
import AgentProtocol
import Foundation

/// What reading one prompt produced.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line is dropped and the prompt shown again.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Reads the user's input: libedit with history on a terminal, plain lines otherwise.
///
/// Multi-line input: a line ending in `\` continues on the next line, and a line starting with
/// `"""` opens a block that runs until a line ending with `"""` (as `ollama run` does).
/// libedit blocks, so reads run on their own thread, off Swift's small cooperative pool.
final class LineEditor: @unchecked Sendable {
    // Only touched from `queue`.
    private let historyFile: String?
    private let interactive: Bool
    private let queue = DispatchQueue(label: "agent.line-editor")
    private var historyLoaded = false
    /// Says once that the history cannot be saved; lines are still read and recalled.
    private let warn: @Sendable (String) -> Void
    private var historyWarned = false

    init(historyFile: String?, interactive: Bool, warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.historyFile = historyFile
        self.interactive = interactive
        self.warn = warn
        if interactive {
            // We handle SIGINT ourselves (see SignalHandling); libedit must not install handlers.
            rl_catch_signals = 0
            // libedit remembers the terminal's cooked settings when it starts; start it now, while
            // they are still the user's, before the REPL switches to turn mode.
            _ = rl_initialize()
        }
    }

    /// Reads one complete input (possibly several lines).
    func read(prompt: String, continuation: String) async -> LineInput {
        await withCheckedContinuation { (result: CheckedContinuation<LineInput, Never>) in
            queue.async {
                result.resume(returning: self.readBlocking(prompt: prompt, continuation: continuation))
            }
        }
    }

    /// Reads a single raw line (approval answers); no history, no continuation.
    func readAnswer(prompt: String) async -> LineInput {
        await withCheckedContinuation { (result: CheckedContinuation<LineInput, Never>) in
            queue.async { result.resume(returning: self.readOne(prompt: prompt)) }
        }
    }

    private func readBlocking(prompt: String, continuation: String) -> LineInput {
        loadHistoryOnce()
        var lines: [String] = []
        var inBlock = false
        while true {
            switch readOne(prompt: lines.isEmpty ? prompt : continuation) {
            case .interrupted: return .interrupted
            case .endOfInput:
                // A half-typed block at end of input is still the user's words.
                if !lines.isEmpty { return finish(lines.joined(separator: "\n")) }
                return .endOfInput
            case .line(let line):
                if inBlock {
                    if line.hasSuffix("\"\"\"") {
                        lines.append(String(line.dropLast(3)))
                        return finish(lines.joined(separator: "\n"))
                    }
                    lines.append(line)
                } else if lines.isEmpty, line.hasPrefix("\"\"\"") {
                    let rest = String(line.dropFirst(3))
                    if rest.hasSuffix("\"\"\""), rest.count >= 3 { return finish(String(rest.dropLast(3))) }
                    inBlock = true
                    if !rest.isEmpty { lines.append(rest) }
                } else if line.hasSuffix("\\") {
                    lines.append(String(line.dropLast()))
                } else {
                    lines.append(line)
                    return finish(lines.joined(separator: "\n"))
                }
            }
        }
    }

    private func finish(_ text: String) -> LineInput {
        if interactive, !text.trimmedWhitespace().isEmpty {
            add_history(text)
            saveHistory()
        }
        return .line(text)
    }

    private func readOne(prompt: String) -> LineInput {
        guard interactive else {
            if let line = Swift.readLine(strippingNewline: true) { return .line(line) }
            return .endOfInput
        }
        SignalHandling.interruptedAtPrompt.store(false, ordering: .relaxed)
        errno = 0
        // Dispatch's worker threads block every signal; this one must take SIGINT for readline()
        // to see EINTR, so it is unblocked just for the read.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &interrupt, &previous)
        SignalHandling.readerThread.store(pthread_self(), ordering: .relaxed)
        let result = readline(prompt)
        SignalHandling.readerThread.store(0, ordering: .relaxed)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        guard let raw = result else {
            if SignalHandling.interruptedAtPrompt.load(ordering: .relaxed) || errno == EINTR {
                Terminal.enterTurnMode()
                Output.out("\n")
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    private func loadHistoryOnce() {
        guard interactive, !historyLoaded, let historyFile else { return }
        historyLoaded = true
        stifle_history(1000)
        _ = read_history(historyFile)
    }

    private func saveHistory() {
        guard let historyFile else { return }
        let dir = (historyFile as NSString).deletingLastPathComponent
        // A folder that cannot be made shows as write_history's failure, with its errno.
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let previous = umask(0o077)
        // libedit answers 0, or the errno of the failure.
        let failure = write_history(historyFile)
        umask(previous)
        guard failure == 0 else {
            if !historyWarned {
                historyWarned = true
                warn("warning: the input history cannot be saved to \(historyFile): \(String(cString: strerror(failure)))")
            }
            return
        }
        chmod(historyFile, 0o600)
    }
}
