import AgentConfig
import AgentCore
import AgentProtocol
import ArgumentParser
import Foundation

/// `agent sessions list|show|delete|prune`.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions", _superCommandName: "agent", abstract: "List, show, delete or prune saved sessions.",
        subcommands: [List.self, Show.self, Delete.self, Prune.self], defaultSubcommand: List.self)

    /// Runs `body` on the store; a session error becomes one line and exit code 1.
    static func withSession(_ options: ConfigOptions, _ body: (SessionStore) throws(SessionError) -> Void) throws {
        let (store, _) = try Self.store(options)
        do {
            try body(store)
        } catch {
            Output.err("agent: \(error)\n")
            throw ExitStatus.failure
        }
    }

    static func store(_ options: ConfigOptions) throws -> (SessionStore, ResolvedConfig) {
        let resolved = try options.load()
        return (SessionStore(directory: URL(fileURLWithPath: resolved.sessionsDirectory)), resolved)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions, newest first.")
        @OptionGroup var options: ConfigOptions
        @Option(help: "Show at most this many.") var limit: Int = 50

        func run() async throws {
            let style = Style(enabled: Terminal.stdoutIsTTY && !options.noColor)
            try SessionsCommand.withSession(options) { store throws(SessionError) in
                Output.out(SessionTable.render(try store.list().prefix(max(limit, 0)), style: style) + "\n")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a session's messages.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Session id or unique prefix.") var id: String

        func run() async throws {
            try SessionsCommand.withSession(options) { store throws(SessionError) in
                let summary = try store.resolve(idOrPrefix: id)
                let session = try store.load(id: summary.id)
                let lines = SessionTranscript.lines(session)
                Output.out(lines.joined(separator: "\n") + "\n")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a session.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Session id or unique prefix.") var id: String

        func run() async throws {
            let (store, resolved) = try SessionsCommand.store(options)
            do throws(SessionError) {
                let target: String
                do {
                    target = try store.resolve(idOrPrefix: id).id
                } catch .damaged(let file, _) {
                    // Named exactly and unreadable: deleting it is what the user asked for.
                    target = file.deletingPathExtension().lastPathComponent
                }
                try store.delete(id: target)
                CheckpointPruner.prune(
                    checkpointsDirectory: resolved.paths.stateDirectory + "/checkpoints",
                    existingSessions: try store.sessionIDs())
                Output.out("Deleted session \(target).\n")
            } catch {
                Output.err("agent: \(error)\n")
                throw ExitStatus.failure
            }
        }
    }

    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "prune",
            abstract: "Remove sessions beyond sessions.keep or older than sessions.max_age_days.")
        @OptionGroup var options: ConfigOptions
        @Flag(name: .customLong("dry-run"), help: "Only show what would be removed.") var dryRun = false

        func run() async throws {
            let (store, resolved) = try SessionsCommand.store(options)
            let s = resolved.settings.sessions
            let removed: [SessionSummary]
            do throws(SessionError) {
                removed = try store.prune(keep: s.keep, maxAgeDays: s.maxAgeDays, except: nil, dryRun: dryRun, now: Date())
                if !dryRun {
                    CheckpointPruner.prune(checkpointsDirectory: resolved.paths.stateDirectory + "/checkpoints",
                                           existingSessions: try store.sessionIDs())
                }
            } catch {
                Output.err("agent: \(error)\n")
                throw ExitStatus.failure
            }
            let verb = dryRun ? "Would remove" : "Removed"
            var lines = ["\(verb) \(removed.count) session\(removed.count == 1 ? "" : "s") "
                + "(sessions.keep = \(s.keep), sessions.max_age_days = \(s.maxAgeDays))."]
            for summary in removed { lines.append("  \(summary.id)  \(summary.title ?? "-")  \(summary.workingDirectory.path)") }
            Output.out(lines.joined(separator: "\n") + "\n")
        }
    }
}
