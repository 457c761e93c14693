import Foundation

/// `/init`: the request that asks the model to write the project's AGENTS.md. The write goes
/// through `write_file`, so in `ask` mode the user sees the file and approves it.
enum InitCommand {
    static func prompt(workspace: URL) -> String {
        let path = workspace.appendingPathComponent("AGENTS.md").path
        return """
            Write an AGENTS.md file at \(path) for coding agents that will work in this project. \
            First look around with the tools: the README, the build and test files, the main folders. \
            Then write it with write_file (if it exists, read it and improve it, keeping what is still true). \
            Keep it short, under 60 lines of markdown: how to build, test and run the project; \
            the layout in a few lines; conventions a newcomer would not guess from the code. \
            Write only facts you checked; do not invent commands.
            """
    }
}
