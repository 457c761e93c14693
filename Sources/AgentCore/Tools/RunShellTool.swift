import AgentProtocol
import Foundation

/// `run_shell`: a `/bin/sh -c` command in the workspace, with a timeout and capped output.
///
/// The result always ends with how the command ended: "[exit code N]", "[killed by signal N]"
/// or "[timed out after N s; …]". Processes the command leaves running in the background after
/// the shell exits normally are not killed (a dev server may be what the user asked for).
public struct RunShellTool: Tool {
    public static let name = "run_shell"
    public static let maxTimeout: Duration = .seconds(600)
    /// Bytes of output kept: the first and last halves.
    public static let outputLimit = 30_000

    public init() {}

    public var isMutating: Bool { true }

    public var spec: ToolSpec {
        ToolSpec(
            name: Self.name,
            description: "Run a shell command in the workspace; returns output and exit code.",
            parameters: [
                "type": "object",
                "properties": [
                    "command": ["type": "string"],
                    "timeout": ["type": "integer", "description": "seconds (default 120, max 600)"],
                ],
                "required": ["command"],
            ]
        )
    }

    public func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let command = try Self.command(arguments)
        let timeout = try Self.timeout(arguments, context: context)
        let firstLine = TextFiles.lines(of: command).first.map(String.init) ?? command
        let summary = "run_shell \(firstLine.count > 80 ? firstLine.prefix(80) + "…" : firstLine)"
        let note = timeout == context.shellTimeout ? "" : "  (timeout \(Self.seconds(timeout)) s)"
        return ToolPlan(summary: summary, preview: "$ " + command + note)
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        let command = try Self.command(arguments)
        let timeout = try Self.timeout(arguments, context: context)
        let folder = WorkspacePaths(workspace: context.workspace).root
        guard TextFiles.kind(atPath: folder) == .directory else {
            throw ToolError("the workspace \(folder) is not a directory")
        }
        let secretVariables = context.secrets.variablesToRemove(from: ProcessInfo.processInfo.environment)
        let outcome = try await ShellRunner.run(
            command, in: folder, timeout: timeout, outputLimit: Self.outputLimit, removing: secretVariables)

        var text = outcome.output.text
        if text.isEmpty {
            text = "(no output)\n"
        } else if !text.hasSuffix("\n") {
            text += "\n"
        }
        switch outcome.termination {
        case .exited(let code):
            text += "[exit code \(code)]"
        case .signaled(let signal):
            text += "[killed by signal \(signal)]"
        case .timedOut:
            text += "[timed out after \(Self.seconds(timeout)) s; the command and its children were killed]"
        }
        return text
    }

    private static func command(_ arguments: ToolArguments) throws(ToolError) -> String {
        let command = try arguments.string("command")
        guard !command.trimmedWhitespace().isEmpty else {
            throw ToolError("command is empty")
        }
        return command
    }

    /// The model's timeout, else the context's default, never above `maxTimeout`.
    private static func timeout(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> Duration {
        guard let seconds = try arguments.optionalInt("timeout") else { return min(context.shellTimeout, maxTimeout) }
        guard seconds >= 1 else { throw ToolError("timeout must be at least 1 second") }
        return min(.seconds(seconds), maxTimeout)
    }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        return attoseconds == 0 ? String(whole) : String(duration.seconds)
    }
}
