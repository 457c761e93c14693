import AgentCore
import Foundation

/// What agent learns about the project at start: its AGENTS.md files and its custom slash
/// commands. Read once, before the first prompt, from a handful of small files (no git, no
/// walk of the tree), so it costs microseconds.
struct ProjectContext: Sendable {
    let instructions: ProjectInstructions
    let commands: CustomCommands

    static func load(workspace: URL, configDirectory: String) -> ProjectContext {
        ProjectContext(
            instructions: ProjectInstructions.load(workspace: workspace, globalDirectory: configDirectory),
            commands: CustomCommands.load(workspace: workspace, globalDirectory: configDirectory,
                                          reserved: SlashCommand.builtInNames))
    }

    /// One line each, shown once at start: AGENTS.md files cut or skipped, command files skipped.
    var warnings: [String] {
        instructions.warnings.map { "AGENTS.md: " + $0 } + commands.warnings.map { "custom command: " + $0 }
    }
}
