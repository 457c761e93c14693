// A child process for the session tests and scripts/bench-sessions.
//
//   session-writer-fixture write <dir> <count>   appends <count> messages to a new session in <dir>;
//       prints "id <id>" first, then each message's index once `append` has returned, so a test
//       can SIGKILL it at any moment and know which messages were acknowledged.
//   session-writer-fixture bench <dir>           prints the cost of one append at 10, 1,000 and
//       10,000 messages, the time to resume a 10,000-message session and to list 100 sessions.
import AgentCore
import AgentProtocol
import Foundation

/// The text of message `index`, shared with the kill test (which rebuilds it to compare).
/// Sizes vary from a few bytes to ~6 KB. (A kill rarely tears a line: a write this small finishes
/// once started. Torn lines are tested byte by byte in JournalDamageTests.)
func fixtureContent(_ index: Int) -> String {
    let length = (index * 7919) % 6000
    return "message \(index) " + String(repeating: "x", count: length)
}

func emit(_ line: String) {
    // Unbuffered: the test must see the line as soon as the append it reports has returned.
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func runWriter(directory: URL, count: Int) async {
    let store = SessionStore(directory: directory)
    do {
        let journal = try store.create(workingDirectory: directory, model: "fixture")
        emit("id \(journal.id)")
        for index in 0..<count {
            if index % 7 == 3 {
                // Streamed text that the next message supersedes: the journal holds every kind of line.
                await journal.recordPartial("streaming \(index)", force: true)
            }
            let message = index % 2 == 0 ? Message.user(fixtureContent(index)) : Message.assistant(fixtureContent(index))
            try await journal.append(message)
            emit("\(index)")
        }
        try await journal.close()
    } catch {
        fail("\(error)")
    }
}

/// Writes through the real file system but skips fsync: fills a session quickly for the benchmark.
struct UnsyncedFileIO: SessionFileIO {
    let base = POSIXFileIO()
    func createExclusive(_ path: String, mode: mode_t) throws(SessionIOError) -> Int32 {
        try base.createExclusive(path, mode: mode)
    }
    func openForAppending(_ path: String) throws(SessionIOError) -> Int32 { try base.openForAppending(path) }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SessionIOError) -> Int {
        try base.write(fd, bytes, path: path)
    }
    func sync(_ fd: Int32, path: String) throws(SessionIOError) {}
    func truncate(_ fd: Int32, to length: Int64, path: String) throws(SessionIOError) {
        try base.truncate(fd, to: length, path: path)
    }
    func close(_ fd: Int32) { base.close(fd) }
    func rename(_ from: String, to: String) throws(SessionIOError) { try base.rename(from, to: to) }
    func syncDirectory(_ path: String) throws(SessionIOError) {}
    func makeDirectory(_ path: String, mode: mode_t) throws(SessionIOError) { try base.makeDirectory(path, mode: mode) }
    func removeFile(_ path: String) throws(SessionIOError) { try base.removeFile(path) }
}

/// A conversation-like mix: short questions, medium answers, tool calls and larger tool output.
func benchMessage(_ index: Int) -> Message {
    let words = "the quick brown fox jumps over the lazy dog while the agent reads files and runs tests "
    switch index % 4 {
    case 0: return .user("question \(index): " + String(repeating: words, count: 1))
    case 1:
        return .assistant(
            "", toolCalls: [ToolCall(id: "call_\(index)", name: "read_file", arguments: #"{"path":"Sources/main.swift"}"#)])
    case 2: return .toolResult(id: "call_\(index - 1)", name: "read_file", content: String(repeating: words, count: 12))
    default: return .assistant("answer \(index): " + String(repeating: words, count: 5))
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func runBench(directory: URL) async {
    let clock = ContinuousClock()
    let samples = 300
    var appendMedians: [(Int, Double)] = []
    var resume10k: [Double] = []
    do {
        for size in [10, 1_000, 10_000] {
            let filler = try SessionStore(directory: directory, fileIO: UnsyncedFileIO())
                .create(workingDirectory: directory, model: "bench")
            for index in 0..<size { try await filler.append(benchMessage(index)) }
            try await filler.close()

            let store = SessionStore(directory: directory)
            let (journal, loaded) = try store.open(id: filler.id)
            guard loaded.messages.count == size else { fail("loaded \(loaded.messages.count) of \(size) messages") }
            var costs: [Double] = []
            for index in 0..<samples {
                let message = benchMessage(size + index)
                let start = clock.now
                try await journal.append(message)
                costs.append((clock.now - start).seconds)
            }
            try await journal.close()
            appendMedians.append((size, median(costs)))

            if size == 10_000 {
                for _ in 0..<15 {
                    let start = clock.now
                    let (reopened, session) = try store.open(id: filler.id)
                    resume10k.append((clock.now - start).seconds)
                    guard session.messages.count == size + samples else { fail("resume lost messages") }
                    try await reopened.close()
                }
                let bytes = (try? FileManager.default.attributesOfItem(atPath: journal.fileURL.path)[.size] as? Int) ?? 0
                emit("file_bytes_10000 \(bytes)")
            }
        }
        // Listing reads a header and a tail per file: 100 sessions of 200 messages each.
        let listFolder = directory.appendingPathComponent("list")
        let filler = SessionStore(directory: listFolder, fileIO: UnsyncedFileIO())
        for _ in 0..<100 {
            let journal = try filler.create(workingDirectory: directory, model: "bench")
            for index in 0..<200 { try await journal.append(benchMessage(index)) }
            try await journal.close()
        }
        let store = SessionStore(directory: listFolder)
        var listTimes: [Double] = []
        for _ in 0..<15 {
            let start = clock.now
            let sessions = try store.list()
            listTimes.append((clock.now - start).seconds)
            guard sessions.count == 100, sessions.allSatisfy({ $0.messageCount == 200 }) else { fail("list is wrong") }
        }
        emit("list_median_ms 100 \(String(format: "%.1f", median(listTimes) * 1e3))")
    } catch {
        fail("\(error)")
    }
    for (size, cost) in appendMedians {
        emit("append_median_us \(size) \(String(format: "%.1f", cost * 1e6))")
    }
    emit("resume_median_ms 10000 \(String(format: "%.1f", median(resume10k) * 1e3))")
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "write" where arguments.count == 4:
    guard let count = Int(arguments[3]) else { fail("count must be a number") }
    await runWriter(directory: URL(fileURLWithPath: arguments[2]), count: count)
case "bench" where arguments.count == 3:
    await runBench(directory: URL(fileURLWithPath: arguments[2]))
default:
    fail("usage: session-writer-fixture write <dir> <count> | bench <dir>")
}
