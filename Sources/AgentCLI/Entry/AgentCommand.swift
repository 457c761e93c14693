import AgentProtocol
import AgentConfig
import ArgumentParser
import Foundation

struct AgentCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        guard RootParser.skipsCompletionCheck else { return ordinaryConfiguration }
        var quick = ordinaryConfiguration
        quick._superCommandName = "agent"
        return quick
    }

    private static let ordinaryConfiguration = CommandConfiguration(
        commandName: "agent",
        abstract: "A terminal chat agent for Ollama and OpenAI-compatible servers.",
        discussion: """
            Start a conversation with `agent`, or ask once with `agent -p "question"`.
            Type /help inside agent for its commands. Docs: README.md and docs/.
            """,
        version: AgentVersion.current,
        subcommands: [ConfigCommand.self, SessionsCommand.self]
    )

    static let routed: [String: any ParsableCommand.Type] = ["config": ConfigCommand.self, "sessions": SessionsCommand.self]

    @OptionGroup var options: ConfigOptions

    @Flag(name: [.customShort("p"), .customLong("print")],
          help: "Answer one prompt (the argument, or stdin) and exit.")
    var printMode = false

    @Option(name: .customLong("output-format"), help: "With -p: text, json or stream-json.")
    var outputFormat: OutputFormat = .text

    @Flag(name: .customLong("continue"), help: "Resume the most recent session of this directory.")
    var continueLast = false

    @Option(name: .customLong("resume"), help: ArgumentHelp("Resume a session by id or unique prefix.", valueName: "id"))
    var resumeID: String?

    @Flag(name: .customLong("no-save"), help: "Do not save this conversation (until /save).")
    var noSave = false

    @Flag(name: [.customShort("i"), .customLong("interactive")],
          help: "Run the conversation loop even when stdin is not a terminal (one prompt per line).")
    var interactive = false

    @Argument(help: "A prompt: answered at once with -p, else sent as the first message.")
    var prompt: [String] = []

    func validate() throws {
        if continueLast && resumeID != nil {
            throw ValidationError("--continue and --resume cannot be used together.")
        }
        if outputFormat != .text && !printMode && Terminal.stdinIsTTY {
            throw ValidationError("--output-format needs -p/--print.")
        }
    }

    func run() async throws {
        Terminal.saveState()
        let resolved = try options.load(noSave: noSave)
        let runtime = try Runtime(resolved: resolved)
        let resume: ResumeRequest? = continueLast ? .latest : resumeID.map { .id($0) }
        let text = prompt.joined(separator: " ")
        let oneShot = printMode || (!Terminal.stdinIsTTY && !interactive)
        if oneShot {
            var input = text
            if input.isEmpty {
                input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    .trimmedWhitespace()
            }
            guard !input.isEmpty else {
                Output.err("agent: no prompt given: pass it as an argument or on stdin\n")
                throw ExitStatus.usage
            }
            let status = await OneShot(runtime: runtime, format: outputFormat, resume: resume).run(prompt: input)
            throw status
        }
        let status = await ChatREPL(runtime: runtime, resume: resume).run(initialPrompt: text.isEmpty ? nil : text)
        throw status
    }
}
