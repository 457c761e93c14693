import AgentConfig
import ArgumentParser
import Foundation
import Synchronization

/// The executable's entry point: parses the command line and maps every failure to a one-line
/// message and the documented exit code, never a stack trace.
public enum Entrypoint {
    /// Runs the command on the cooperative pool and parks the main thread until it exits.
    ///
    /// Not an async main: that ends in `dispatch_main()`, whose `pthread_exit` unwinds the main
    /// thread's stack with the C++ unwinder, and its lookups in the unwind tables of this static
    /// binary made 1.5 MiB of them resident before the first prompt (a sixth of idle RSS).
    /// Nothing here runs on the main queue or the main actor, so nothing needs it drained.
    public static func start() -> Never {
        // `agent --version` answers before the argument parser is built: building it reflects
        // over every command and option, and each protocol-conformance lookup that reflection
        // makes scans all ~8,500 conformance records of the binary. That was 81% of the
        // instructions `--version` ran (callgrind), for an answer that is a constant.
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            Output.out(AgentVersion.current + "\n")
            guard let failure = Output.stdoutFailure else { Foundation.exit(0) }
            Output.err("agent: \(failure)\n")
            Foundation.exit(ExitStatus.failure.code)
        }
        SignalHandling.prepareMainThread()
        Task.detached { await main() }
        while true { pause() }
    }

    static func main() async {
        // `agent -p … | head -1` must not be killed by SIGPIPE mid-save; a failed write is
        // noticed by `Output` and ends the run with status 1.
        signal(SIGPIPE, SIG_IGN)
        SignalHandling.installTermination()
        var code: Int32
        let (root, arguments) = SubcommandRouter.route(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try RootParser.parse(root, arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            code = 0
        } catch let exit as ExitStatus {
            code = exit.code
        } catch let error as ConfigError {
            Output.err("agent: \(error)\n")
            code = ExitStatus.usage.code
        } catch {
            code = report(error, root: root)
        }
        if let failure = Output.stdoutFailure {
            Output.err("agent: \(failure)\n")
            if code == 0 { code = ExitStatus.failure.code }
        }
        Terminal.restoreState()
        Foundation.exit(code)
    }

    private static func report(_ error: any Error, root: any ParsableCommand.Type) -> Int32 {
        let status = root.exitCode(for: error)
        let message = root.fullMessage(for: error)
        if status == .success {
            // --help, --version and completion scripts.
            if !message.isEmpty { Output.out(message + "\n") }
            return 0
        }
        if !message.isEmpty { Output.err(message + "\n") }
        // Usage errors exit 2, as the documented exit codes say (argument-parser's default is 64).
        return status == .validationFailure ? ExitStatus.usage.code : status.rawValue
    }
}


/// Parses `agent`'s command line without argument-parser's completion-script check when no
/// argument asks for a completion script.
///
/// Before parsing, argument-parser looks for `--generate-completion-script` by parsing the
/// command line twice more with two commands of its own; building those parsers reflects over
/// their properties, and each new (type, protocol) pair the Swift runtime meets scans all of the
/// binary's ~8,500 conformance records. That was 13% of the instructions of a whole `agent -p`
/// run (callgrind). The library skips the check for a command with a super-command name, so
/// the chat command's configuration carries one while a parse that cannot be a completion
/// request runs. The name shows only in help and usage text: a parse that ends in anything but
/// a chat command (help, an error) is done again the ordinary way, which says it right.
enum RootParser {
    /// True only during a parse that skips the completion-script check.
    private static let skipping = Atomic<Bool>(false)

    /// Whether `AgentCommand.configuration` should carry the super-command name now.
    static var skipsCompletionCheck: Bool { skipping.load(ordering: .relaxed) }

    static func parse(_ root: any ParsableCommand.Type, _ arguments: [String]) throws -> any ParsableCommand {
        if root == AgentCommand.self, !arguments.contains(where: asksForHelpOrCompletion) {
            skipping.store(true, ordering: .relaxed)
            let quick = try? root.parseAsRoot(arguments)
            skipping.store(false, ordering: .relaxed)
            if let quick, quick is AgentCommand { return quick }
        }
        return try root.parseAsRoot(arguments)
    }

    /// Arguments whose answer is text that names the command (help, usage, completions).
    private static func asksForHelpOrCompletion(_ argument: String) -> Bool {
        argument.contains("generate-completion-script") || argument.contains("dump-help")
            || ["help", "-h", "--help", "--version"].contains(argument)
    }
}
