import Foundation
import MCPHostWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads lines from a pipe on a thread of its own, which sleeps in `read(2)` until the other
/// side writes (no polling, and no thread of Swift's small cooperative pool is held).
///
/// Each line, or each oversized line dropped (`LineFramer`), goes to `onPiece` on that thread, in
/// order; then `onEnd` once, with nil at the end of input or the errno that ended it. The reader
/// owns `fd` and closes it when it stops.
public enum LineReader {
    public static func start(
        fd: Int32, maxLineBytes: Int = HostWire.maxLineBytes,
        onPiece: @escaping @Sendable (LineFramer.Piece) -> Void, onEnd: @escaping @Sendable (Int32?) -> Void
    ) {
        Thread.detachNewThread {
            let failure = readLines(fd: fd, framer: LineFramer(maxLineBytes: maxLineBytes), onPiece: onPiece)
            onEnd(failure)
        }
    }

    private static func readLines(fd: Int32, framer: LineFramer, onPiece: (LineFramer.Piece) -> Void) -> Int32? {
        defer { close(fd) }
        var framer = framer
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 {
                for piece in framer.finish() { onPiece(piece) }
                return nil
            }
            for piece in framer.feed(buffer[0..<n]) { onPiece(piece) }
        }
    }
}
