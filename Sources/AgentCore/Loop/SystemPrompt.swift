import Foundation

/// The built-in system prompt. Short on purpose: on a CPU every prompt token costs prefill time
/// (about 3 ms each for a small model here), so this and the tool schemas stay well under 1,000 tokens.
public enum SystemPrompt {
    public static func standard(workspace: String) -> String {
        """
        You are agent, a coding assistant in the user's terminal. Workspace: \(workspace)
        Use the tools to read, search, edit files and run commands when that helps; do not guess \
        file contents. Prefer edit_file for small changes. Keep answers short and concrete.
        """
    }
}
