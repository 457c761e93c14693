import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct WorkspacePathsTests {
    @Test func relativePathsResolveInsideTheWorkspace() throws {
        let ws = try TemporaryWorkspace()
        let paths = WorkspacePaths(workspace: URL(fileURLWithPath: ws.root))
        let resolved = paths.resolve("src/../src/./main.swift")
        #expect(
            resolved
                == ResolvedPath(path: ws.root + "/src/main.swift", isInsideWorkspace: true, display: "src/main.swift"))
        #expect(paths.resolve(".") == ResolvedPath(path: ws.root, isInsideWorkspace: true, display: "."))
        #expect(paths.resolve(ws.root + "/a.txt").display == "a.txt")
    }

    @Test func parentAbsoluteAndSiblingPrefixPathsAreOutside() throws {
        let ws = try TemporaryWorkspace()
        let paths = WorkspacePaths(workspace: URL(fileURLWithPath: ws.root))
        #expect(
            paths.resolve("../outside/x")
                == ResolvedPath(path: ws.outside + "/x", isInsideWorkspace: false, display: ws.outside + "/x"))
        #expect(!paths.resolve("/etc/passwd").isInsideWorkspace)
        // "/w-other" starts with "/w" but is not inside "/w".
        #expect(!paths.resolve(ws.root + "-other/file").isInsideWorkspace)
        #expect(!paths.resolve("new/../../outside").isInsideWorkspace)
    }

    @Test func symlinksAreFollowedEvenForFilesThatDoNotExistYet() throws {
        let ws = try TemporaryWorkspace()
        try ws.symlink("out", to: ws.outside)
        try ws.symlink("dangling", to: ws.outside + "/not-yet")
        try ws.mkdir("real")
        try ws.symlink("alias", to: "real")
        let paths = WorkspacePaths(workspace: URL(fileURLWithPath: ws.root))

        #expect(paths.resolve("out/new/file.txt").path == ws.outside + "/new/file.txt")
        #expect(!paths.resolve("out/new/file.txt").isInsideWorkspace)
        #expect(paths.resolve("dangling").path == ws.outside + "/not-yet")
        #expect(!paths.resolve("dangling").isInsideWorkspace)
        #expect(
            paths.resolve("alias/x.txt")
                == ResolvedPath(path: ws.root + "/real/x.txt", isInsideWorkspace: true, display: "real/x.txt"))
        // ".." applies to where the symlink leads, as the kernel does.
        #expect(paths.resolve("out/..").path == WorkspacePaths.canonicalize(ws.base.path))
    }

    @Test func aWorkspaceGivenThroughASymlinkIsCanonicalised() throws {
        let ws = try TemporaryWorkspace()
        let link = ws.outside + "/link-to-workspace"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: ws.root)
        let paths = WorkspacePaths(workspace: URL(fileURLWithPath: link))
        #expect(paths.root == ws.root)
        #expect(paths.resolve(link + "/a.txt").isInsideWorkspace)
        #expect(paths.resolve("a.txt").path == ws.root + "/a.txt")
    }

    @Test func symlinkLoopsEndInsteadOfSpinning() throws {
        let ws = try TemporaryWorkspace()
        try ws.symlink("loop", to: "loop")
        #expect(WorkspacePaths(workspace: URL(fileURLWithPath: ws.root)).resolve("loop/x").isInsideWorkspace)
    }

    @Test func tildeIsTheHomeDirectory() throws {
        let ws = try TemporaryWorkspace()
        let paths = WorkspacePaths(workspace: URL(fileURLWithPath: ws.root))
        let home = WorkspacePaths.canonicalize(NSHomeDirectory())
        #expect(paths.resolve("~").path == home)
        #expect(paths.resolve("~/notes.txt").path == (home == "/" ? "/notes.txt" : home + "/notes.txt"))
        #expect(paths.resolve("~notes").path == ws.root + "/~notes")
    }
}
