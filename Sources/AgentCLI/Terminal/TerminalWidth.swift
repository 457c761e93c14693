import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal's width, read once and again only after SIGWINCH says it changed, so the
/// renderer can ask for it on every piece of an answer for the price of an atomic load.
///
/// The handler only sets a flag (async-signal-safe). It is installed with `sigaction` rather
/// than a dispatch source: libedit catches SIGWINCH at the prompt and passes it on to the
/// handler it found, which a signalfd-based source (the signal blocked everywhere) would break.
enum TerminalWidth {
    private static let cached = Atomic<Int>(80)
    private static let changed = Atomic<Bool>(true)
    private static let installed = Atomic<Bool>(false)

    /// Starts following SIGWINCH; harmless to call more than once.
    static func follow() {
        guard !installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in TerminalWidth.changed.store(true, ordering: .releasing) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGWINCH, &action, nil)
    }

    /// Columns of the terminal on stdout (80 when it cannot say).
    static var current: Int {
        if changed.exchange(false, ordering: .acquiringAndReleasing) {
            cached.store(Terminal.columns, ordering: .relaxed)
        }
        return cached.load(ordering: .relaxed)
    }
}
