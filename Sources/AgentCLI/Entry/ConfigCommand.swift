import AgentConfig
import ArgumentParser

/// `agent config`: the effective configuration and where each value came from.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", _superCommandName: "agent", abstract: "Print the effective configuration with the source of each value.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let resolved = try options.load()
        Output.out(resolved.describe() + "\n")
    }
}
