import AgentConfig
import ArgumentParser
import Foundation

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
            var command = try root.parseAsRoot(arguments)
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
