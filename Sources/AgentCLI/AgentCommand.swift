import AgentConfig
import ArgumentParser
import Foundation

/// Exit codes a script can rely on.
struct ExitStatus: Error, Equatable {
    var code: Int32
    static let success = ExitStatus(code: 0)
    /// Model, network or tool failure.
    static let failure = ExitStatus(code: 1)
    /// Usage or configuration error.
    static let usage = ExitStatus(code: 2)
    static let interrupted = ExitStatus(code: 130)
    static func signal(_ sig: Int32) -> ExitStatus { ExitStatus(code: 128 + sig) }
}

/// Options every command shares: where configuration comes from.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("Read configuration from FILE.", valueName: "FILE"))
    var configFile: String?

    @Option(help: "Use the named profile from the config file.")
    var profile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp(
        "Override a config key, e.g. -c retry.max_retries=5 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: [.customShort("m"), .long], help: "Model to use.")
    var model: String?

    @Option(help: "Server URL, e.g. http://127.0.0.1:11434.")
    var endpoint: String?

    @Option(name: .customLong("api-key-env"), help: ArgumentHelp("Read the API key from this environment variable.", valueName: "VAR"))
    var apiKeyEnv: String?

    @Option(help: ArgumentHelp("When tools need your consent: ask, auto or read-only.", valueName: "mode"))
    var approval: String?

    @Option(help: "Sampling temperature (0 to 2).")
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: "Most tokens an answer may have.")
    var maxTokens: Int?

    @Option(help: ArgumentHelp("Request timeout in seconds.", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("system-prompt"), help: "Replace the built-in system prompt.")
    var systemPrompt: String?

    @Flag(inversion: .prefixedNo, help: "Show the model's reasoning text (dimmed).")
    var showReasoning: Bool?

    @Flag(name: .customLong("no-color"), help: "Do not use colours.")
    var noColor = false

    func flags(noSave: Bool = false) -> ConfigFlags {
        ConfigFlags(configFile: configFile, profile: profile, model: model, endpoint: endpoint, apiKeyEnv: apiKeyEnv,
                    approval: approval, temperature: temperature, maxTokens: maxTokens, timeout: timeout,
                    systemPrompt: systemPrompt, showReasoning: showReasoning, noSave: noSave, noColor: noColor)
    }

    func load(noSave: Bool = false) throws -> ResolvedConfig {
        let resolved = try ConfigLoader(environment: ProcessInfo.processInfo.environment)
            .load(flags: flags(noSave: noSave), overrides: overrides)
        for warning in resolved.warnings { Output.err("agent: warning: \(warning)\n") }
        return resolved
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
    case streamJSON = "stream-json"
}

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
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
                    .trimmingCharacters(in: .whitespacesAndNewlines)
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

enum AgentVersion {
    static let current = "0.1.0"
}
