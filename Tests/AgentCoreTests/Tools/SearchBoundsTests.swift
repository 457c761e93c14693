import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

/// search_files against hostile patterns and file systems. Before the bounds, `(a|aa)+$` over
/// one long line ran for 54 minutes, ignoring cancellation, and /proc grew memory to 24 GB.
@Suite(.timeLimit(.minutes(1))) struct SearchBoundsTests {
    /// A line of 40,000 a's that ends in "b": `(a|aa)+$` backtracks exponentially on it.
    static let catastrophic = String(repeating: "a", count: 40_000) + "b\n"

    @Test func aBacktrackingPatternGivesUpAtTheTimeLimit() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("long.txt", Self.catastrophic)
        let started = ContinuousClock.now
        await expectToolError(containing: "stopped after 1 s (its time limit) without a match") {
            try await SearchFilesTool(timeLimit: .seconds(1)).run(
                ToolArguments(["pattern": "(a|aa)+$"]), context: ws.context())
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func matchesFoundBeforeTheLimitAreKeptWithANote() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a-first.txt", "aaa\n")
        try ws.write("b-long.txt", Self.catastrophic)
        let output = try await SearchFilesTool(timeLimit: .seconds(1)).run(
            ToolArguments(["pattern": "(a|aa)+$"]), context: ws.context())
        #expect(output.hasPrefix("a-first.txt:1: aaa\n"))
        #expect(output.hasSuffix("these are the matches found until then]"))
    }

    @Test func cancellingStopsTheRegexWithinAMoment() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("long.txt", Self.catastrophic)
        let context = ws.context()
        let search = Task {
            try await SearchFilesTool(timeLimit: .seconds(50)).run(ToolArguments(["pattern": "(a|aa)+$"]), context: context)
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        search.cancel()
        let result = await search.result
        #expect(ContinuousClock.now - cancelled < .seconds(1))
        #expect(throws: ToolError("search_files was cancelled")) { try result.get() }
    }

    @Test func virtualFileSystemsAreRefusedAndNeverEntered() async throws {
        let ws = try TemporaryWorkspace()
        await expectToolError(containing: "does not search /proc") {
            try await SearchFilesTool().run(ToolArguments(["pattern": "x", "path": "/proc/self"]),
                                            context: ws.context(allowOutside: true))
        }
        #expect(DirectoryWalker.virtualFileSystem(containing: "/sys/kernel") == "/sys")
    }

    /// A folder the walk cannot list is passed over and returned (tests may run as root, whom no
    /// permission stops, so the listing is stood in for).
    @Test func foldersThatCannotBeListedAreReturnedAndTheRestIsWalked() throws {
        let space = try TemporaryWorkspace()
        try space.write("a/locked/secret.txt", "x")
        try space.write("a/open/file.txt", "x")
        try space.write("b.txt", "x")
        var seen: [String] = []
        let unreadable = DirectoryWalker.walk(space.root, maxDepth: 8, list: { path in
            path.hasSuffix("/locked") ? .failure(.unreadable(code: EACCES)) : FolderListing.names(path)
        }) { entry in
            seen.append(entry.relativePath)
            return true
        }
        #expect(seen == ["a", "a/locked", "a/open", "a/open/file.txt", "b.txt"])
        #expect(unreadable == [DirectoryWalker.Unreadable(relativePath: "a/locked", reason: "Permission denied")])
        #expect(DirectoryWalker.note(unreadable, under: "src/") == "[1 folder could not be read: src/a/locked (Permission denied)]")
        let many = (1...5).map { DirectoryWalker.Unreadable(relativePath: "d\($0)", reason: "Permission denied") }
        #expect(DirectoryWalker.note(many, under: "")?.hasPrefix("[5 folders could not be read: d1 (Permission denied), d2") == true)
        #expect(DirectoryWalker.note(many, under: "")?.hasSuffix("d3 (Permission denied), …]") == true)
        #expect(DirectoryWalker.note([], under: "") == nil)
    }

    @Test func folderListingTellsMissingFromUnreadable() throws {
        let space = try TemporaryWorkspace()
        try space.write("f.txt", "x")
        #expect(FolderListing.names(space.root + "/nothing") == .failure(.missing))
        #expect(FolderListing.names(space.root + "/f.txt") == .failure(.unreadable(code: ENOTDIR)))
        #expect(FolderListing.names(space.root) == .success(["f.txt"]))
        #expect(DirectoryWalker.virtualFileSystem(containing: "/process") == nil)
    }

    @Test func filesOfUnknownSizeAreSkippedAndReadsAreBounded() {
        // /proc files state a size of 0 whatever they hold.
        guard case .skipped = FileSearch.readBounded("/proc/self/status") else {
            Issue.record("read a /proc file")
            return
        }
        guard case .skipped = FileSearch.readBounded("/dev/zero") else {
            Issue.record("read a device")
            return
        }
    }
}
