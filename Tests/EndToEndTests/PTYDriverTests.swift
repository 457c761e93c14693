import AgentTestSupport
import Foundation
import Testing

/// The PTY driver against ordinary programs, so it is proven before the agent's REPL uses it.
@Suite(.timeLimit(.minutes(1)))
struct PTYDriverTests {
    private static let python = "/usr/bin/python3"

    private func spawn(
        _ executable: String, _ arguments: [String] = [], environment extra: [String: String] = [:],
        in directory: String = FileManager.default.temporaryDirectory.path
    ) throws -> PTYProcess {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": FileManager.default.temporaryDirectory.path,
            "TERM": "xterm",
            "LANG": "C.UTF-8",
        ]
        environment.merge(extra) { $1 }
        return try PTYProcess(
            executable: executable, arguments: arguments, environment: environment, workingDirectory: directory
        )
    }

    // MARK: The terminal

    @Test func typedLineIsEchoedByTheTerminalAndThenByCat() async throws {
        let pty = try spawn("cat")
        pty.sendLine("hello pty")
        // Once from the terminal's echo, once from cat.
        try await pty.waitFor("hello pty\nhello pty\n")
        #expect(pty.output == "hello pty\r\nhello pty\r\n")
        pty.sendControl("d")
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func childHasAControllingTerminalOfTheRequestedSize() async throws {
        let script = """
            import os
            print("TTY", os.isatty(0), os.isatty(1), os.isatty(2), os.tcgetpgrp(0) == os.getpgrp(),
                  os.getsid(0) == os.getpid(), os.ttyname(0), "%dx%d" % tuple(os.get_terminal_size(0)))
            """
        let pty = try spawn(Self.python, ["-c", script])
        try await pty.waitFor("TTY True True True True True \(pty.terminalPath) 100x30")
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func shellSeesATerminalOnStandardInput() async throws {
        let pty = try spawn("/bin/sh", ["-c", "test -t 0 && echo TTY || echo NOT_TTY"])
        try await pty.waitFor("TTY\n")
        #expect(!pty.plainOutput.contains("NOT_TTY"))
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func controlCRunsTheShellsInterruptTrap() async throws {
        // `sleep 0.1`, not `sleep 30`: a SIGINT that lands while the shell is starting `sleep`
        // is handled only once that `sleep` ends.
        let script = #"trap "echo GOT_INT; exit 3" INT; echo READY; while :; do sleep 0.1; done"#
        let pty = try spawn("/bin/sh", ["-c", script])
        try await pty.waitFor("READY")
        pty.sendControl("c")
        try await pty.waitFor("GOT_INT")
        #expect(try await pty.waitForExit() == 3)
    }

    @Test func controlCReachesEveryProcessInTheForegroundGroup() async throws {
        // The grandchild says READY only once its handler is installed, so the order is certain.
        let python = """
            import os, signal
            def interrupted(*_):
                os.write(1, b"PYTHON_GOT_INT\\n")
                os._exit(5)
            signal.signal(signal.SIGINT, interrupted)
            os.write(1, b"READY\\n")
            while True:
                signal.pause()
            """
        let script = #"trap "echo SHELL_GOT_INT" INT; "$0" -c "$1"; echo "python exited $?""#
        let pty = try spawn("/bin/sh", ["-c", script, Self.python, python])
        try await pty.waitFor("READY")
        pty.sendControl("c")
        try await pty.waitFor("PYTHON_GOT_INT")
        try await pty.waitFor("SHELL_GOT_INT")
        try await pty.waitFor("python exited 5")
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func controlDEndsCat() async throws {
        let pty = try spawn("/bin/cat")
        pty.sendControl("d")
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func resizeDeliversTheNewSizeWithSIGWINCH() async throws {
        // os.write, not print: the handler can run while the main code is still inside a write.
        let script = """
            import os, signal
            def report(*_):
                os.write(1, b"SIZE %dx%d\\n" % tuple(os.get_terminal_size(0)))
            signal.signal(signal.SIGWINCH, report)
            report()
            os.write(1, b"READY\\n")
            while True:
                signal.pause()
            """
        let pty = try spawn(Self.python, ["-c", script])
        try await pty.waitFor("READY")
        #expect(pty.plainOutput.hasPrefix("SIZE 100x30\n"))
        pty.resize(columns: 120, rows: 40)
        try await pty.waitFor("SIZE 120x40")
    }

    @Test func runsInTheWorkingDirectoryWithExactlyTheGivenEnvironment() async throws {
        let directory = try TemporaryDirectory(prefix: "pty")
        let pty = try spawn(
            "/bin/sh", ["-c", #"echo "DIR=$(pwd)"; echo "GREETING=$GREETING"; echo "USER=${USER-unset}""#],
            environment: ["GREETING": "hi there"], in: directory.path
        )
        try await pty.waitFor("USER=unset\n")
        #expect(pty.plainOutput == "DIR=\(directory.path)\nGREETING=hi there\nUSER=unset\n")
        #expect(try await pty.waitForExit() == 0)
    }

    // MARK: Exit and cleanup

    @Test func processKilledBySIGTERMExitsWith143() async throws {
        let pty = try spawn("/bin/sleep", ["30"])
        pty.signal(SIGTERM)
        #expect(try await pty.waitForExit() == 143)
        #expect(pty.exitStatus == 143)
    }

    @Test func terminateKillsTheChildAndClosesTheTerminal() async throws {
        let pty = try spawn("/bin/sleep", ["30"])
        let held = try holdTerminal(pty.terminalPath)
        defer { close(held) }
        #expect(masterIsOpen(pty.terminalPath))
        pty.terminate()
        #expect(!masterIsOpen(pty.terminalPath))
        await waitForHangUp(held)
        #expect(!FileManager.default.fileExists(atPath: pty.terminalPath))
        #expect(try await pty.waitForExit() == 128 + SIGKILL)
        await #expect(throws: PTYError.self) { try await pty.waitFor("anything") }
        pty.terminate()
    }

    @Test func droppingTheProcessClosesTheTerminal() async throws {
        func startAndDrop() throws -> (path: String, held: Int32) {
            let pty = try spawn("/bin/cat")
            let held = try holdTerminal(pty.terminalPath)
            #expect(masterIsOpen(pty.terminalPath))
            return (pty.terminalPath, held)
        }
        let (path, held) = try startAndDrop()
        defer { close(held) }
        #expect(!masterIsOpen(path))
        await waitForHangUp(held)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Opens the terminal's slave side a second time. While this test holds it, the terminal's
    /// number cannot be handed to another test's new terminal, so checks by number are exact.
    private func holdTerminal(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(fd >= 0, "cannot open \(path): errno \(errno)")
        return fd
    }

    /// Whether this process has the master side of the terminal at `path` open.
    private func masterIsOpen(_ path: String) -> Bool {
        let index = path.split(separator: "/").last.map(String.init) ?? path
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fdinfo")) ?? []
        return descriptors.contains { fd in
            let info = (try? String(contentsOfFile: "/proc/self/fdinfo/\(fd)", encoding: .utf8)) ?? ""
            return info.contains("tty-index:\t\(index)\n")
        }
    }

    /// Returns once no process holds the master side any more: only then does a read of the
    /// slave side stop blocking. (A child that another library is spawning at that moment can
    /// hold a copy of every descriptor until it execs, so this is not always instant.)
    private func waitForHangUp(_ held: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                var byte: UInt8 = 0
                while true {
                    let count = read(held, &byte, 1)
                    if count > 0 || (count < 0 && errno == EINTR) { continue }
                    break
                }
                continuation.resume()
            }
        }
    }

    @Test func unknownExecutablesAreReportedBeforeSpawning() throws {
        #expect(throws: PTYError.executableNotFound("no-such-program-7f3a")) {
            try spawn("no-such-program-7f3a")
        }
        #expect(throws: PTYError.spawnFailed(executable: "/no/such/program", errno: ENOENT)) {
            try spawn("/no/such/program")
        }
    }

    // MARK: Waiting

    @Test func waitForTimeoutDescribesTheRecentOutput() async throws {
        let script = #"i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done; echo END; exec sleep 30"#
        let pty = try spawn("/bin/sh", ["-c", script])
        try await pty.waitFor("END")
        let error = try #require(
            await #expect(throws: PTYError.self) {
                try await pty.waitFor("NEVER-PRINTED", timeout: .milliseconds(200))
            }
        )
        guard case .timedOut(let awaited, _, let process, let tail) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(awaited == #""NEVER-PRINTED""#)
        #expect(process == "process \(pty.pid) still running")
        #expect(tail.count == 2_000)
        #expect(tail.hasSuffix("line 299\nEND\n"))
        #expect(!tail.contains("line 0\n"))
        let description = String(describing: error)
        #expect(description.hasPrefix(#"timed out after 0.2 seconds waiting for "NEVER-PRINTED""#))
        #expect(description.contains("line 299\nEND\n"))
    }

    @Test func waitForFailsAsSoonAsTheOutputEnds() async throws {
        let pty = try spawn("/bin/sh", ["-c", "echo bye"])
        let error = await #expect(throws: PTYError.self) {
            try await pty.waitFor("never printed", timeout: .seconds(50))
        }
        guard case .outputEnded(let awaited, _, let tail) = error else {
            Issue.record("expected the output to end, got \(String(describing: error))")
            return
        }
        #expect(awaited == #""never printed""#)
        #expect(tail == "bye\n")
    }

    @Test func markLetsATestWaitForTheSecondPrompt() async throws {
        let pty = try spawn("/bin/sh", ["-i"], environment: ["PS1": "ready> "])
        try await pty.waitFor("ready> ")
        let afterFirstPrompt = pty.mark()
        pty.sendLine("echo $((6 * 7))")
        try await pty.waitFor("ready> ", after: afterFirstPrompt)
        #expect(pty.plainOutput(after: afterFirstPrompt) == "echo $((6 * 7))\n42\nready> ")
        #expect(pty.plainOutput == "ready> echo $((6 * 7))\n42\nready> ")
        pty.sendLine("exit 7")
        #expect(try await pty.waitForExit() == 7)
    }

    @Test func clearForgetsEarlierOutput() async throws {
        let pty = try spawn("/bin/cat")
        pty.sendLine("alpha")
        try await pty.waitFor("alpha\nalpha\n")
        let beforeClear = pty.mark()
        pty.clear()
        #expect(pty.output.isEmpty)
        pty.sendLine("beta")
        try await pty.waitFor("beta\nbeta\n")
        // A wait that starts before the clear still sees only what is kept.
        try await pty.waitFor("beta", after: beforeClear)
        #expect(pty.plainOutput == "beta\nbeta\n")
        #expect(pty.mark() > beforeClear)
        pty.sendControl("d")
        #expect(try await pty.waitForExit() == 0)
    }

    @Test func waitForRegexReturnsTheMatch() async throws {
        let pty = try spawn("/bin/sh", ["-c", "echo 'listening on port=43125 now'"])
        let match = try await pty.waitFor(regex: #"port=\d+"#)
        #expect(match == "port=43125")
        await #expect(throws: PTYError.self) { try await pty.waitFor(regex: "(unclosed") }
    }

    @Test func waitForPredicateSeesThePlainText() async throws {
        let pty = try spawn("/bin/sh", ["-c", "for i in 1 2 3; do echo tick; done"])
        try await pty.waitFor("three ticks") { plain in
            plain.components(separatedBy: "tick\n").count == 4
        }
    }

    @Test func plainOutputRemovesEscapesAndWaitsMatchIt() async throws {
        let script = #"printf '\033[1;31mRED\033[0m \033]0;title\007done\n'"#
        let pty = try spawn("/bin/sh", ["-c", script])
        try await pty.waitFor("RED done\n")
        #expect(pty.output.contains("\u{1B}[1;31mRED"))
        #expect(pty.plainOutput == "RED done\n")
    }

    @Test func cancellingAWaitEndsItWithCancellationError() async throws {
        let pty = try spawn("/bin/cat")
        let waiting = Task { try await pty.waitFor("never typed") }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    // MARK: Built products

    @Test func builtBinaryFindsThePackagesExecutables() throws {
        let agent = try #require(BuiltBinary.path(named: "agent"))
        #expect(agent.hasSuffix("/agent"))
        #expect(FileManager.default.isExecutableFile(atPath: agent))
        #expect(BuiltBinary.path(named: "no-such-product-7f3a") == nil)
    }

    @Test func builtAgentRunsOnTheTerminal() async throws {
        let agent = try #require(BuiltBinary.path(named: "agent"))
        let pty = try spawn(agent, ["--help"])
        try await pty.waitFor("USAGE: agent")
        #expect(try await pty.waitForExit() == 0)
    }
}
