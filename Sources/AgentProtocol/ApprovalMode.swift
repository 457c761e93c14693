/// When tool calls need the user's consent: the one type the config file, the flags, the REPL
/// and the engine share.
///
/// The raw values are the spellings accepted by `--approval`, `tools.approval` and `/approval`.
/// "Inside the workspace" means every path the call names resolves below the folder agent
/// started in; a tool that names no paths (`run_shell`, an MCP tool) counts as inside.
public enum ApprovalMode: String, CaseIterable, Sendable, Hashable {
    /// Changes (writes, edits, commands) and every path outside the workspace ask first.
    case ask
    /// No questions inside the workspace; a path outside it still asks, and is denied when
    /// there is no terminal to ask (`-p`).
    case auto
    /// Everything runs without asking, outside the workspace too. Never the default, never
    /// implied: it must be spelt out.
    case full
    /// Changes are denied; reading inside the workspace runs, reading outside it asks.
    case readOnly = "read-only"

    /// One line for `/approval` and the docs.
    public var meaning: String {
        switch self {
        case .ask: "changes and paths outside the workspace ask first"
        case .auto: "no questions inside the workspace; outside it asks"
        case .full: "everything runs without asking, outside the workspace too"
        case .readOnly: "changes are denied; reads outside the workspace ask"
        }
    }
}
