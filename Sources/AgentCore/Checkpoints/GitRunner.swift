import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs `git` against a shadow repository and nothing else.
///
/// Invariant: every command gets an environment built from scratch, never the user's: an
/// explicit `GIT_DIR` (the shadow repository) and `GIT_WORK_TREE` (the workspace), no system or
/// global configuration, `HOME` and `XDG_CONFIG_HOME` pointing into the shadow folder, literal
/// pathspecs, no prompts, no pager. So git cannot discover, read or write the user's own
/// repository, run its hooks or filters, or see the agent's API keys.
struct GitRunner: Sendable {
    let executable: String
    let gitDirectory: String
    let workTree: String
    /// The shadow folder, used as HOME so nothing of the user's is read.
    let home: String
    /// The index this runner reads and writes: the shadow's own, or a scratch one.
    var indexFile: String

    init(executable: String, gitDirectory: String, workTree: String, home: String, indexFile: String? = nil) {
        self.executable = executable
        self.gitDirectory = gitDirectory
        self.workTree = workTree
        self.home = home
        self.indexFile = indexFile ?? gitDirectory + "/index"
    }

    /// The `git` on PATH, or nil.
    static func find(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let folders = (path ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for folder in folders where folder.hasPrefix("/") {
            let candidate = folder + "/git"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    var environment: [Environment.Key: String] {
        [
            "GIT_DIR": gitDirectory, "GIT_WORK_TREE": workTree, "GIT_INDEX_FILE": indexFile,
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": home, "XDG_CONFIG_HOME": home,
            "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0",
            "GIT_AUTHOR_NAME": "agent", "GIT_AUTHOR_EMAIL": "agent@localhost",
            "GIT_COMMITTER_NAME": "agent", "GIT_COMMITTER_EMAIL": "agent@localhost",
            "LC_ALL": "C", "PATH": "/usr/bin:/bin",
        ]
    }

    /// Runs `git arguments…` in the workspace with `input` on stdin; returns stdout.
    /// Throws `.gitFailed` for a non-zero exit, `.timedOut` past `timeout`, `.cancelled` when
    /// the task is cancelled (git is killed either way).
    /// `inputFile`, when given, is read as stdin instead of `input` (a stream too large to hold).
    func run(
        _ arguments: [String], input: [UInt8] = [], inputFile: String? = nil, timeout: Duration = .seconds(30),
        outputLimit: Int = 64 << 20
    ) async throws(CheckpointError) -> [UInt8] {
        let outcome: Result<Outcome, any Error>
        do {
            outcome = .success(try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    try await execute(arguments, input: input, inputFile: inputFile, outputLimit: outputLimit)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw CheckpointError.timedOut(seconds: Int(timeout.components.seconds))
                }
                return result
            })
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let result):
            guard result.status == .exited(0) else {
                let detail = String(decoding: result.error, as: UTF8.self)
                    .split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                throw .gitFailed(command: arguments.first ?? "", status: "\(result.status)", detail: detail)
            }
            return result.output
        case .failure(let error):
            if Task.isCancelled || error is CancellationError { throw .cancelled }
            if let error = error as? CheckpointError { throw error }
            throw .gitFailed(command: arguments.first ?? "", status: "not run", detail: "\(error)")
        }
    }

    private struct Outcome: Sendable {
        var status: TerminationStatus
        var output: [UInt8]
        var error: [UInt8]
    }

    private func execute(_ arguments: [String], input: [UInt8], inputFile: String?, outputLimit: Int) async throws
        -> Outcome
    {
        if let inputFile {
            let descriptor = try FileDescriptor.open(FilePath(inputFile), .readOnly, options: [.closeOnExec])
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), environment: .custom(environment),
                workingDirectory: FilePath(workTree), input: .fileDescriptor(descriptor, closeAfterSpawningProcess: true),
                output: .bytes(limit: outputLimit), error: .bytes(limit: 1 << 20))
            return Outcome(status: result.terminationStatus, output: result.standardOutput, error: result.standardError)
        }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: .custom(environment),
            workingDirectory: FilePath(workTree), input: .array(input), output: .bytes(limit: outputLimit),
            error: .bytes(limit: 1 << 20))
        return Outcome(status: result.terminationStatus, output: result.standardOutput, error: result.standardError)
    }
}
