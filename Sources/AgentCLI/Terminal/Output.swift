import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes straight to the file descriptors, unbuffered, so streamed tokens appear as they arrive
/// and nothing is lost in a buffer when the process exits from a signal.
///
/// A failed write to stdout (a full disk, a closed pipe) is remembered, not ignored: the run
/// ends with status 1 and one line on stderr (`stdoutFailure`). Nothing more is written to a
/// descriptor that failed.
enum Output {
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    /// The errno of the first failed write to stdout, or 0.
    private static let stdoutErrno = Atomic<Int32>(0)

    /// Why writing the answer failed, for the one line on stderr; nil while stdout works.
    static var stdoutFailure: String? {
        let code = stdoutErrno.load(ordering: .relaxed)
        guard code != 0 else { return nil }
        return "cannot write to standard output: " + String(cString: strerror(code))
    }

    static func write(_ text: String, to fd: Int32) {
        if fd == STDOUT_FILENO, stdoutErrno.load(ordering: .relaxed) != 0 { return }
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    let code = n < 0 ? errno : EIO
                    if fd == STDOUT_FILENO { _ = stdoutErrno.compareExchange(expected: 0, desired: code, ordering: .relaxed) }
                    return
                }
            }
        }
    }
}
