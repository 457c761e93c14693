/// ANSI styling that switches itself off for NO_COLOR and for output that is not a terminal.
struct Style: Sendable {
    let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled }

    func dim(_ s: String) -> String { wrap(s, "2") }
    func bold(_ s: String) -> String { wrap(s, "1") }
    func red(_ s: String) -> String { wrap(s, "31") }
    func green(_ s: String) -> String { wrap(s, "32") }
    func yellow(_ s: String) -> String { wrap(s, "33") }
    func cyan(_ s: String) -> String { wrap(s, "36") }

    /// Ends every SGR attribute and an open OSC 8 hyperlink: what an exit path writes so that a
    /// write cut short never leaves the terminal styled. Empty when styling is off.
    var reset: String { enabled ? "\u{1B}[0m\u{1B}]8;;\u{1B}\\" : "" }

    private func wrap(_ s: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
