import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The matches of one `search_files` call, gathered file by file in walk order, within a budget
/// of matches, bytes per file, and time.
///
/// Invariant: memory is bounded by one file of at most `SearchFilesTool.maxFileSize` bytes plus
/// the kept lines; a file is read only up to the size `fstat` gave, so a file that never ends
/// (a /proc entry, a device) cannot grow it; and the regex engine is asked to stop within a few
/// milliseconds of the budget running out.
struct FileSearch {
    let regex: NSRegularExpression
    let budget: SearchBudget
    private(set) var lines: [String] = []
    private(set) var skippedLargeFiles = 0
    /// The walk's line about folders it could not read, if any.
    var unreadableNote: String?
    /// Set when the budget ran out; the search stopped there.
    private(set) var stopped: SearchBudget.Stop?

    init(regex: NSRegularExpression, budget: SearchBudget) {
        self.regex = regex
        self.budget = budget
    }

    /// Whether the walk should go on.
    var canContinue: Bool { stopped == nil && lines.count < SearchFilesTool.maxMatches }

    mutating func scanFile(_ path: String, shownAs display: String) {
        if let stop = budget.stop { stopped = stop }
        guard canContinue else { return }
        switch Self.readBounded(path) {
        case .skipped: return
        case .tooLarge: skippedLargeFiles += 1
        case .text(let data):
            guard !TextFiles.isBinary(data.prefix(TextFiles.sniffLength)) else { return }
            scanText(String(decoding: data, as: UTF8.self), shownAs: display)
        }
    }

    enum ReadResult {
        case text(Data)
        case tooLarge
        /// Not a regular file, unreadable, or of no stated size (empty, or a virtual file).
        case skipped
    }

    /// Reads a regular file of known size without following a symlink or blocking on a pipe.
    static func readBounded(_ path: String) -> ReadResult {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .skipped }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else {
            return .skipped
        }
        guard info.st_size <= off_t(SearchFilesTool.maxFileSize) else { return .tooLarge }
        let size = Int(info.st_size)
        var data = Data(count: size)
        let filled = data.withUnsafeMutableBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var filled = 0
            while filled < size {
                let got = read(descriptor, base + filled, size - filled)
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { break }
                filled += got
            }
            return filled
        }
        return .text(data.prefix(filled))
    }

    /// One regex pass over the whole file (far cheaper than one per line); each match is mapped
    /// to its line by counting newlines since the previous one, and a line is reported once.
    /// `.reportProgress` makes the engine call back during a long match, where the budget is
    /// checked: a pattern that backtracks exponentially is stopped, not waited for.
    private mutating func scanText(_ text: String, shownAs display: String) {
        let utf8 = text.utf8
        var line = 1
        var scanned = text.startIndex
        var lineStart = text.startIndex
        var lastReported = 0
        var found: [String] = []
        var stop: SearchBudget.Stop?
        let room = SearchFilesTool.maxMatches - lines.count
        let budget = self.budget
        let range = NSRange(text.startIndex..., in: text)
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, halt in
            if let reason = budget.stop {
                stop = reason
                halt.pointee = true
                return
            }
            guard let result, let range = Range(result.range, in: text) else { return }
            let start = range.lowerBound
            while scanned < start {
                if utf8[scanned] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = utf8.index(after: scanned)
                }
                scanned = utf8.index(after: scanned)
            }
            // An empty match after the final newline is on no line at all.
            guard line != lastReported, !(start == text.endIndex && lineStart == text.endIndex) else { return }
            lastReported = line
            found.append("\(display):\(line): \(Self.shown(text, from: lineStart))")
            if found.count >= room { halt.pointee = true }
        }
        lines += found
        if let stop { stopped = stop }
    }

    /// The line starting at `start`, without its "\r", cut at `maxLineLength` characters.
    private static func shown(_ text: String, from start: String.Index) -> Substring {
        let end = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
        var content = Substring(text.unicodeScalars[start..<end])
        if content.unicodeScalars.last == "\r" { content = Substring(content.unicodeScalars.dropLast()) }
        if content.count > SearchFilesTool.maxLineLength {
            content = Substring(content.prefix(SearchFilesTool.maxLineLength) + "…")
        }
        return content
    }
}
