import AgentCore
import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs `session-writer-fixture`, SIGKILLs it at random moments while it appends, and checks that
/// every append it acknowledged survived, in order.
@Suite("Sessions survive kill -9", .timeLimit(.minutes(3)))
struct SessionKillTests {
    /// The fixture's message `index`; must match `fixtureContent` in SessionWriterFixture/main.swift.
    static func expectedContent(_ index: Int) -> String {
        "message \(index) " + String(repeating: "x", count: (index * 7919) % 6000)
    }

    /// The fixture is built next to the test bundle (e.g. `.build/debug/`).
    static func fixtureURL() throws -> URL {
        let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
        for start in starts {
            var folder = start.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("session-writer-fixture")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw FixtureMissing()
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        var description: String { "session-writer-fixture was not found next to the test binary; run `swift build` first" }
    }

    /// Reads the child's stdout line by line with plain blocking reads.
    struct LineReader {
        let descriptor: Int32
        var buffer: [UInt8] = []

        mutating func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return nil }
                buffer.append(contentsOf: chunk[..<count])
            }
        }
    }

    @Test func everyAcknowledgedAppendSurvivesSIGKILL() async throws {
        let fixture = try Self.fixtureURL()
        var generator = SeededGenerator(seed: 0x5E55_10F5)
        try await withTemporaryDirectory { dir in
            for run in 0..<24 {
                let folder = dir.appendingPathComponent("run\(run)")
                let killAfter = Int.random(in: 1...40, using: &generator)

                let (header, lines) = try await Self.runUntilKilled(fixture, folder: folder, killAfter: killAfter)
                let first = try #require(header, "run \(run): the fixture printed nothing")
                let id = String(try #require(first.split(separator: " ").last))
                #expect(lines == (0..<lines.count).map(String.init), "run \(run)")
                let acknowledged = lines.count
                #expect(acknowledged == killAfter, "run \(run): the fixture stopped early")

                let store = SessionStore(directory: folder)
                let loaded = try store.load(id: id)
                try check(loaded, acknowledged: acknowledged, run: run)

                // The killed session can be continued, and a torn tail never spoils what follows.
                let (journal, resumed) = try store.open(id: id)
                try await journal.append(.user("after the kill"))
                try await journal.close()
                let reloaded = try store.load(id: id)
                #expect(reloaded.skippedLines == 0, "run \(run)")
                #expect(reloaded.messages.count == resumed.messages.count + 1, "run \(run)")
                #expect(reloaded.messages.last?.content == "after the kill", "run \(run)")
            }
        }
    }

    /// Starts the fixture, reads its header and `killAfter` acknowledgements, then kills it with
    /// SIGKILL. The reads block, so they run off the cooperative pool.
    private static func runUntilKilled(_ fixture: URL, folder: URL, killAfter: Int) async throws
        -> (header: String?, acknowledgements: [String])
    {
        let process = Process()
        process.executableURL = fixture
        process.arguments = ["write", folder.path, "100000"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let descriptor = output.fileHandleForReading.fileDescriptor
        return await blocking {
            var reader = LineReader(descriptor: descriptor)
            let header = reader.next()
            var lines: [String] = []
            while lines.count < killAfter, let line = reader.next() { lines.append(line) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (header, lines)
        }
    }

    private func check(_ loaded: LoadedSession, acknowledged: Int, run: Int) throws {
        #expect(loaded.skippedLines == 0, "run \(run): a kill may tear only the last line")
        var messages = loaded.messages
        if loaded.recoveredPartial {
            // The kill came while the fixture's streamed text was saved and its message was not.
            let last = messages.popLast()
            let partial = try #require(last)
            #expect(partial.metadata.interrupted)
            #expect(partial.content.hasPrefix("streaming "))
        }
        // The fixture may have saved more than was read before the kill landed; never fewer.
        #expect(messages.count >= acknowledged, "run \(run): lost acknowledged messages")
        for (index, message) in messages.enumerated() {
            #expect(message.content == Self.expectedContent(index), "run \(run): message \(index)")
            #expect(!message.metadata.interrupted, "run \(run): message \(index)")
        }
    }
}

/// SplitMix64: reproducible choices for tests.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
