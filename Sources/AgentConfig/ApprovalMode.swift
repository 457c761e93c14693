/// How tool calls that change something are approved.
///
/// The raw values are the spellings accepted in the config file, in `-c tools.approval=…`
/// and by `--approval`.
public enum ApprovalMode: String, CaseIterable, Sendable, Hashable {
    /// Ask the user before every call that writes files or runs commands.
    case ask
    /// Run every tool call without asking.
    case auto
    /// Refuse every call that writes files or runs commands; reading is allowed.
    case readOnly = "read-only"
}
