#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in a folder, or why it could not be listed.
///
/// Written on `opendir`/`readdir` rather than FileManager's listing, which reports every failure
/// as one CocoaError: the callers must tell a folder that is not there (often normal: no
/// sessions yet, no custom commands) from one that is there but cannot be read (always worth
/// saying, and never to be taken for an empty folder).
public enum FolderListing {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// Nothing at that path.
        case missing
        /// There, but not listable: `code` is the errno (EACCES, ENOTDIR, EMFILE, …).
        case unreadable(code: Int32)

        public var description: String {
            switch self {
            case .missing: String(cString: strerror(ENOENT))
            case .unreadable(let code): String(cString: strerror(code))
            }
        }
    }

    /// The entries' names, without "." and "..", in the order the file system gives them.
    public static func names(_ path: String) -> Result<[String], Failure> {
        guard let folder = opendir(path) else { return .failure(failure(errno)) }
        defer { closedir(folder) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(folder) else {
                let code = errno
                return code == 0 ? .success(names) : .failure(.unreadable(code: code))
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    private static func failure(_ code: Int32) -> Failure {
        code == ENOENT ? .missing : .unreadable(code: code)
    }
}
