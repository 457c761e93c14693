import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes straight to the file descriptors, unbuffered, so streamed tokens appear as they arrive
/// and nothing is lost in a buffer when the process exits from a signal.
enum Output {
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }
    static func err(_ text: String) { write(text, to: STDERR_FILENO) }

    static func write(_ text: String, to fd: Int32) {
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
                    return  // a closed pipe: nothing more can be shown
                }
            }
        }
    }
}
