import Foundation
import Glibc
import Synchronization

/// Held while this module's descriptors exist without close-on-exec and while it spawns, so a
/// child started by one test never inherits another test's terminal (which would keep that
/// terminal open after its own child exits).
private let spawnLock = Mutex(())

/// What `PTYSpawner` hands over: a running child and the descriptors the parent keeps.
struct PTYChild: Sendable {
    let pid: pid_t
    /// The master side, non-blocking and close-on-exec.
    let masterFD: Int32
    /// The slave side's device path, such as /dev/pts/3.
    let terminalPath: String
    /// A pipe whose write end wakes the reader thread when the process is terminated.
    let wakeReadFD: Int32
    let wakeWriteFD: Int32
}

/// Starts a program on a new pseudo-terminal that becomes its controlling terminal.
///
/// `fork()` is unsafe in a multithreaded Swift process, so this uses `posix_spawn`. It cannot
/// call `ioctl(TIOCSCTTY)`, but on Linux a session leader without a controlling terminal
/// acquires the first terminal it opens without `O_NOCTTY`: the child gets `setsid` from
/// `POSIX_SPAWN_SETSID`, then opens the slave by path as fd 0 and duplicates it to 1 and 2.
enum PTYSpawner {
    /// `POSIX_SPAWN_SETSID` (glibc ≥ 2.26), which Swift's Glibc module does not import.
    private static let setSessionFlag: Int32 = 0x80

    static func spawn(
        executable: String, arguments: [String], environment: [String: String],
        workingDirectory: String, columns: Int, rows: Int
    ) throws -> PTYChild {
        let path = try resolve(executable, environment: environment)
        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        return try spawnLock.withLock { _ throws -> PTYChild in
            var size = winsize(
                ws_row: UInt16(clamping: rows), ws_col: UInt16(clamping: columns), ws_xpixel: 0, ws_ypixel: 0
            )
            var master: Int32 = -1
            var slave: Int32 = -1
            guard openpty(&master, &slave, nil, nil, &size) == 0 else {
                throw PTYError.systemCall("openpty", errno: errno)
            }
            // The parent keeps the slave open until posix_spawn returns (after the child's
            // exec), so the master never sees a hang-up before the child holds the terminal.
            defer { Glibc.close(slave) }
            var wake: [Int32] = [-1, -1]
            do {
                try setCloseOnExec(master)
                try setCloseOnExec(slave)
                let terminalPath = try deviceName(of: slave)
                try check("fcntl(O_NONBLOCK)", fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK))
                try check("pipe", pipe(&wake))
                try setCloseOnExec(wake[0])
                try setCloseOnExec(wake[1])
                let pid = try launch(path, argv: argv, envp: envp, terminal: terminalPath, directory: workingDirectory)
                return PTYChild(
                    pid: pid, masterFD: master, terminalPath: terminalPath, wakeReadFD: wake[0], wakeWriteFD: wake[1]
                )
            } catch {
                Glibc.close(master)
                for fd in wake where fd >= 0 { Glibc.close(fd) }
                throw error
            }
        }
    }

    /// Closes descriptors while no spawn is in flight: a child between clone and exec holds a
    /// copy of every descriptor, which would keep a closed terminal open a little longer.
    static func close(_ descriptors: [Int32]) {
        spawnLock.withLock { _ in
            for fd in descriptors { Glibc.close(fd) }
        }
    }

    private static func launch(
        _ path: String, argv: [String], envp: [String], terminal: String, directory: String
    ) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        try check("posix_spawnattr_init", posix_spawnattr_init(&attributes), returnsErrno: true)
        defer { posix_spawnattr_destroy(&attributes) }
        try resetSignals(&attributes)
        var actions = posix_spawn_file_actions_t()
        try check("posix_spawn_file_actions_init", posix_spawn_file_actions_init(&actions), returnsErrno: true)
        defer { posix_spawn_file_actions_destroy(&actions) }
        try attach(&actions, terminal: terminal, directory: directory)

        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = envp.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, cArguments, cEnvironment)
        guard result == 0 else { throw PTYError.spawnFailed(executable: path, errno: result) }
        return pid
    }

    /// Dispositions the test process ignores (SIGPIPE, SIGINT) would otherwise survive exec,
    /// and an ignored SIGINT cannot even be trapped by a non-interactive shell.
    private static func resetSignals(_ attributes: inout posix_spawnattr_t) throws {
        var noSignals = sigset_t()
        var allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        try check("posix_spawnattr_setsigmask", posix_spawnattr_setsigmask(&attributes, &noSignals), returnsErrno: true)
        try check(
            "posix_spawnattr_setsigdefault", posix_spawnattr_setsigdefault(&attributes, &allSignals), returnsErrno: true
        )
        let flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF) | setSessionFlag
        try check("posix_spawnattr_setflags", posix_spawnattr_setflags(&attributes, Int16(flags)), returnsErrno: true)
    }

    /// The terminal as stdin, stdout and stderr, the working folder, and nothing else open.
    private static func attach(
        _ actions: inout posix_spawn_file_actions_t, terminal: String, directory: String
    ) throws {
        try addChangeDirectory(&actions, directory)
        try check(
            "posix_spawn_file_actions_addopen",
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0), returnsErrno: true
        )
        for fd: Int32 in [1, 2] {
            try check(
                "posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(&actions, 0, fd), returnsErrno: true
            )
        }
        // Not every library marks its descriptors close-on-exec (a NIO listening socket, say);
        // a child holding a copy would keep that socket listening after the test closed it.
        try addCloseFrom(&actions, 3)
    }

    /// glibc has `posix_spawn_file_actions_addchdir_np` since 2.29, but only under `_GNU_SOURCE`,
    /// which Swift's Glibc module does not define; the symbol is looked up at run time instead.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws {
        typealias AddChangeDirectory = @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
        ) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else {
            throw PTYError.systemCall("dlsym(posix_spawn_file_actions_addchdir_np)", errno: ENOSYS)
        }
        let addChangeDirectory = unsafeBitCast(symbol, to: AddChangeDirectory.self)
        try check("posix_spawn_file_actions_addchdir_np", addChangeDirectory(&actions, directory), returnsErrno: true)
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34), looked up like `addchdir_np`.
    private static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) throws {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw PTYError.systemCall("dlsym(posix_spawn_file_actions_addclosefrom_np)", errno: ENOSYS)
        }
        let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
        try check("posix_spawn_file_actions_addclosefrom_np", addCloseFrom(&actions, lowest), returnsErrno: true)
    }

    /// Finds `executable` the way a shell would, on the child's own `PATH` when it has one.
    static func resolve(_ executable: String, environment: [String: String]) throws -> String {
        if executable.contains("/") { return executable }
        let searchPath = environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        throw PTYError.executableNotFound(executable)
    }

    private static func deviceName(of fd: Int32) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let result = ttyname_r(fd, &buffer, buffer.count)
        guard result == 0 else { throw PTYError.systemCall("ttyname_r", errno: result) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func setCloseOnExec(_ fd: Int32) throws {
        try check("fcntl(FD_CLOEXEC)", fcntl(fd, F_SETFD, FD_CLOEXEC))
    }

    /// Most calls return -1 and set `errno`; the posix_spawn family returns the error number.
    private static func check(_ call: String, _ result: Int32, returnsErrno: Bool = false) throws {
        if returnsErrno {
            guard result == 0 else { throw PTYError.systemCall(call, errno: result) }
        } else {
            guard result >= 0 else { throw PTYError.systemCall(call, errno: errno) }
        }
    }
}
