import ArgumentParser

public enum Entrypoint {
    public static func main() async {
        await AgentCommand.main()
    }
}

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent", version: "0.1.0")
    func run() async throws {}
}
