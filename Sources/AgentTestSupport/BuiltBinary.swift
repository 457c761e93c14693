import Foundation

/// Finds executables this package built, for end-to-end tests that run them.
public enum BuiltBinary {
    /// The path of the executable product `name` in the build directory the running tests came
    /// from (such as `.build/debug/` or `.build/x86_64-unknown-linux-gnu/debug/`), or nil when
    /// there is none.
    ///
    /// Starts next to the test bundle and its executable and walks up, but never above the
    /// `.build` directory, so a file of that name elsewhere in the checkout is not picked up.
    public static func path(named name: String) -> String? {
        for start in searchStarts() {
            if let found = search(upFrom: start, for: name) { return found }
        }
        return nil
    }

    private static func searchStarts() -> [URL] {
        var starts = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            let invoked = URL(fileURLWithPath: first).resolvingSymlinksInPath()
            starts.append(invoked.deletingLastPathComponent())
        }
        return starts.map { $0.standardizedFileURL }
    }

    private static func search(upFrom start: URL, for name: String) -> String? {
        let insideBuild = start.pathComponents.contains(".build")
        var directory = start
        while true {
            let candidate = directory.appendingPathComponent(name).path
            if isExecutableFile(candidate) { return candidate }
            let parent = directory.deletingLastPathComponent()
            guard insideBuild, directory.lastPathComponent != ".build", parent.path != directory.path else {
                return nil
            }
            directory = parent
        }
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
