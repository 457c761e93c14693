#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads just enough of a journal for the session list: the header line, a few lines at the
/// end (every line carries the message count) and the file's modification time. Its cost does
/// not depend on the length of the session.
struct JournalPeek {
    private let reader = JournalReader()

    /// Nil when the file is not a readable journal (listings skip it; `load` moves it aside).
    func summary(of url: URL, id: String) -> SessionSummary? {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        let size = Int(info.st_size)

        guard let (header, headerEnd) = readHeader(descriptor, size: size) else { return nil }
        var title = header.title
        var model = header.model
        var count = header.count
        if headerEnd < size, let tail = readTail(descriptor, size: size, after: headerEnd) {
            count = tail.count
            if let newer = tail.title { title = newer }
            if let newer = tail.model { model = newer }
        }
        return SessionSummary(
            id: id, created: header.created, updated: Self.modificationDate(info), messageCount: count, title: title,
            workingDirectory: URL(fileURLWithPath: header.workingDirectory), model: model, fileURL: url)
    }

    private func readHeader(_ descriptor: Int32, size: Int) -> (JournalHeader, Int)? {
        var window = 4096
        while true {
            let bytes = Self.read(descriptor, offset: 0, count: min(window, size))
            if let newline = bytes.firstIndex(of: 0x0A) {
                guard case .header(let header)? = reader.decode(Data(bytes[..<newline])),
                    header.format <= JournalHeader.currentFormat
                else { return nil }
                return (header, newline + 1)
            }
            guard window < size, window < 1 << 20 else { return nil }
            window *= 4
        }
    }

    private struct Tail {
        var count: Int
        var title: String??
        var model: String?
    }

    /// Scans the last lines backwards. The window grows until it holds one readable line, which
    /// happens at once except after a very long message.
    private func readTail(_ descriptor: Int32, size: Int, after headerEnd: Int) -> Tail? {
        var window = 16 * 1024
        while true {
            let start = max(headerEnd, size - window)
            let bytes = Data(Self.read(descriptor, offset: start, count: size - start))
            var lines = JournalReader.lineRanges(in: bytes)
            // The first piece may begin mid-line unless the window reaches the header.
            if start > headerEnd, !lines.isEmpty { lines.removeFirst() }
            var tail: Tail?
            for line in lines.reversed() where !line.range.isEmpty {
                guard let event = reader.decode(bytes[line.range]) else { continue }
                if tail == nil { tail = Tail(count: event.count) }
                switch event {
                case .title(let title, _) where tail?.title == nil: tail?.title = .some(title)
                case .model(let model, _) where tail?.model == nil: tail?.model = model
                default: break
                }
            }
            if let tail { return tail }
            guard start > headerEnd else { return nil }
            window *= 4
        }
    }

    /// The whole file, or the errno of what failed.
    static func readWhole(_ url: URL) throws(SessionIOError) -> Data {
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw SessionIOError(operation: "read", path: url.path, code: errno) }
        defer { _ = close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SessionIOError(operation: "read", path: url.path, code: errno) }
        var data = Data(read(descriptor, offset: 0, count: Int(info.st_size)))
        // A writer may have appended since fstat; read on to the end.
        while true {
            let more = read(descriptor, offset: data.count, count: 64 * 1024)
            if more.isEmpty { break }
            data.append(contentsOf: more)
        }
        return data
    }

    private static func read(_ descriptor: Int32, offset: Int, count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(0, count))
        var filled = 0
        while filled < buffer.count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + filled }, raw.count - filled, off_t(offset + filled))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        return Array(buffer.prefix(filled))
    }

    static func modificationDate(_ info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }
}
