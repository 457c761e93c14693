import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite(.timeLimit(.minutes(2))) struct RunShellToolTests {
    let tool = RunShellTool()

    @Test func reportsOutputAndExitCode() async throws {
        let ws = try TemporaryWorkspace()
        #expect(try await ws.run(tool, ["command": "echo hello"]) == "hello\n[exit code 0]")
        #expect(try await ws.run(tool, ["command": "echo oops; exit 3"]) == "oops\n[exit code 3]")
        #expect(try await ws.run(tool, ["command": "true"]) == "(no output)\n[exit code 0]")
        #expect(try await ws.run(tool, ["command": "printf 'no newline'"]) == "no newline\n[exit code 0]")
        #expect(tool.isMutating)
    }

    @Test func mergesStderrRunsInTheWorkspaceAndReadsNoStdin() async throws {
        let ws = try TemporaryWorkspace()
        #expect(try await ws.run(tool, ["command": "echo out; echo err >&2"]) == "out\nerr\n[exit code 0]")
        #expect(try await ws.run(tool, ["command": "pwd"]) == ws.root + "\n[exit code 0]")
        // Would hang forever if stdin were the terminal or an open pipe.
        #expect(try await ws.run(tool, ["command": "cat; echo done"]) == "done\n[exit code 0]")
    }

    @Test func inheritsNoDescriptorButTheStandardThree() async throws {
        let ws = try TemporaryWorkspace()
        // Held open across the run: a leak would show up as this descriptor in the child.
        let held = open(ws.root, O_RDONLY)
        defer { _ = close(held) }
        #expect(held > 2)
        // The shell's descriptors, listed by a child (its own listing would show the directory
        // it reads); "; true" keeps the shell from exec'ing ls in its own place.
        let output = try await ws.run(tool, ["command": "ls /proc/$$/fd; true"])
        #expect(output == "0\n1\n2\n[exit code 0]")
    }

    @Test func reportsASignal() async throws {
        let ws = try TemporaryWorkspace()
        #expect(try await ws.run(tool, ["command": "kill -TERM $$"]) == "(no output)\n[killed by signal 15]")
    }

    @Test func capsOutputKeepingHeadAndTail() async throws {
        let ws = try TemporaryWorkspace()
        let output = try await ws.run(tool, ["command": "seq 1 20000"])
        #expect(output.utf8.count < RunShellTool.outputLimit + 200)
        #expect(output.hasPrefix("1\n2\n3\n"))
        #expect(output.hasSuffix("19999\n20000\n[exit code 0]"))
        // seq 1 20000 prints 108,894 bytes; 30,000 are kept.
        #expect(output.contains("\n[… 78894 bytes cut …]\n"))
    }

    @Test func killsTheWholeProcessGroupOnTimeout() async throws {
        let ws = try TemporaryWorkspace()
        let start = ContinuousClock.now
        let output = try await ws.run(
            tool, ["command": "echo started; sleep 30 & echo $! > pidfile; wait", "timeout": 1])
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(output == "started\n[timed out after 1 s; the command and its children were killed]")
        let pid = try #require(pid_t(try ws.read("pidfile").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await processEnds(pid))
    }

    @Test func killsTheWholeProcessGroupOnCancellation() async throws {
        let ws = try TemporaryWorkspace()
        let context = ws.context()
        let call = Task {
            try await RunShellTool().run(
                ToolArguments(["command": "sleep 30 & echo $! > pidfile; wait"]), context: context)
        }
        #expect(await eventually { ws.exists("pidfile") && ((try? ws.read("pidfile"))?.hasSuffix("\n") ?? false) })
        let start = ContinuousClock.now
        call.cancel()
        let result = await call.result
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(throws: ToolError("run_shell was cancelled; the command and its children were killed")) {
            try result.get()
        }
        let pid = try #require(pid_t(try ws.read("pidfile").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await processEnds(pid))
    }

    @Test func aBackgroundChildHoldingTheOutputDoesNotBlockTheResult() async throws {
        let ws = try TemporaryWorkspace()
        let start = ContinuousClock.now
        let output = try await ws.run(tool, ["command": "sleep 30 & echo $!"])
        #expect(ContinuousClock.now - start < .seconds(20))
        let pid = try #require(pid_t(output.split(separator: "\n").first.map(String.init) ?? ""))
        kill(pid, SIGKILL)
    }

    @Test func timeoutsAreValidatedAndCapped() throws {
        let ws = try TemporaryWorkspace()
        #expect(throws: ToolError("timeout must be at least 1 second")) {
            try ws.plan(tool, ["command": "ls", "timeout": 0])
        }
        #expect(throws: ToolError("command is empty")) { try ws.plan(tool, ["command": "  "]) }
        #expect(
            try ws.plan(tool, ["command": "make test"])
                == ToolPlan(summary: "run_shell make test", preview: "$ make test"))
        #expect(try ws.plan(tool, ["command": "make", "timeout": 5000]).preview == "$ make  (timeout 600 s)")
    }

    // MARK: - Helpers

    /// Waits, with a generous bound, for `condition`; the thing waited for happens in another
    /// process, so there is no event to await.
    func eventually(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// Whether `pid` dies within the bound. A killed orphan is reparented to PID 1, and where PID
    /// 1 does not reap (as in some containers) it stays a zombie: dead all the same.
    func processEnds(_ pid: pid_t) async -> Bool {
        await eventually {
            if kill(pid, 0) == -1 && errno == ESRCH { return true }
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return false }
            return stat[end...].dropFirst(2).first == "Z"
        }
    }
}
