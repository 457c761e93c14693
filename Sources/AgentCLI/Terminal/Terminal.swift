import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the terminal and the one piece of state every exit path must undo: the termios
/// settings that line editing changes.
enum Terminal {
    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    /// `TERM=dumb` says the terminal understands no escape sequences: no colour, no rendering.
    static var isDumb: Bool { ProcessInfo.processInfo.environment["TERM"] == "dumb" }

    static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    nonisolated(unsafe) private static var saved: termios?

    /// Remembers the terminal's settings at start, so they can be put back however we exit.
    static func saveState() {
        guard stdinIsTTY else { return }
        var t = termios()
        if tcgetattr(STDIN_FILENO, &t) == 0 { saved = t }
    }

    /// While a turn runs, keys the user types are kept as raw bytes for the next prompt instead of
    /// being echoed into the streaming answer; a Ctrl-D typed ahead then still exits, and Ctrl-C
    /// still raises SIGINT (ISIG stays on). libedit sets its own mode at the prompt and returns
    /// the terminal to its saved cooked state afterwards.
    static func enterTurnMode() {
        guard var t = saved else { return }
        t.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &t)
    }

    static func restoreState() {
        guard var t = saved else { return }
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &t)
    }
}
