/// Whether the terminal shows OSC 8 hyperlinks. A terminal cannot be asked, so this is decided
/// from the environment, the way other command-line tools decide it:
/// 1. `FORCE_HYPERLINK=1` turns them on and `FORCE_HYPERLINK=0` off, whatever else is set.
/// 2. Inside tmux or GNU screen (`TMUX`, or `TERM` starting with `screen` or `tmux`): off. tmux
///    before 3.4 drops the sequence, and later versions pass it on only when configured to.
/// 3. On for terminals known to support them: `TERM_PROGRAM` of iTerm.app, WezTerm, vscode,
///    ghostty or WarpTerminal; `TERM` of xterm-kitty, xterm-ghostty, wezterm, foot or alacritty;
///    `VTE_VERSION` of 5000 or more (GNOME Terminal, Tilix, …); `WT_SESSION` (Windows Terminal);
///    `KONSOLE_VERSION` of 201200 or more.
/// 4. Otherwise off: the link's text is shown, then its URL dimmed, which works everywhere.
enum Hyperlinks {
    static func supported(environment: [String: String]) -> Bool {
        if let forced = environment["FORCE_HYPERLINK"] { return forced != "0" && !forced.isEmpty }
        let term = environment["TERM"] ?? ""
        if environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux") { return false }
        let programs: Set<String> = ["iTerm.app", "WezTerm", "vscode", "ghostty", "WarpTerminal"]
        if let program = environment["TERM_PROGRAM"], programs.contains(program) { return true }
        let terms: Set<String> = ["xterm-kitty", "xterm-ghostty", "wezterm", "alacritty", "foot", "foot-extra"]
        if terms.contains(term) { return true }
        if let vte = number(environment["VTE_VERSION"]), vte >= 5000 { return true }
        if environment["WT_SESSION"] != nil { return true }
        if let konsole = number(environment["KONSOLE_VERSION"]), konsole >= 201200 { return true }
        return false
    }

    /// A version number from the environment, or nil when it is not a plain number in range.
    private static func number(_ text: String?) -> Int? {
        guard let text, !text.isEmpty, text.count <= 9, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }
}
