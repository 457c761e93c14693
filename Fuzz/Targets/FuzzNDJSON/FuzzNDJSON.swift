// libFuzzer target: Ollama's NDJSON framing (`NDJSONLineReader`) and the stream reader that
// decodes its lines (`NDJSONStreamReader` over `OllamaChunkDecoder`), on arbitrary bytes. Nothing
// may crash; the line reader must say what a plain reference split says, and whole and split
// feeds must agree on the lines, the events (text joined: one read is one event), the overflow
// and how the stream ended.
import AgentProtocol
@testable import ModelClient
import FuzzDriver

/// The entry point SwiftPM links as `main`; libFuzzer takes it from here.
@_cdecl("FuzzNDJSON_main")
public func fuzzNDJSONMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    agent_fuzz_main(argc, argv)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The first byte picks the split points and whether a small line limit applies, so the fuzzer
    // explores cuts and overflows too (an even one, like the newline most seeds start with, keeps
    // the default limit).
    let seed = Int(bytes.first ?? 0)
    let limit = seed & 1 == 0 ? NDJSONLineReader.defaultMaxBytes : 8 + seed
    let cuts = [seed % (size + 1), (seed * 7 + 3) % (size + 1)].sorted()
    let pieces = [bytes[..<cuts[0]], bytes[cuts[0]..<cuts[1]], bytes[cuts[1]...]]

    let whole = lines([bytes[...]], limit: limit)
    precondition(whole == referenceLines(bytes, limit: limit), "the line reader disagrees with the reference")
    precondition(lines(pieces, limit: limit) == whole, "split at \(cuts) changed the lines")
    precondition(lines(bytes.map { [$0][...] }, limit: limit) == whole, "a byte at a time changed the lines")

    let expected = stream([bytes[...]], limit: limit)
    precondition(stream(pieces, limit: limit) == expected, "split at \(cuts) changed the events")
    if limit == NDJSONLineReader.defaultMaxBytes, let text = String(validating: bytes, as: UTF8.self) {
        var reader = NDJSONStreamReader()
        let events = reader.whole(text)
        precondition(Ending(reader) == expected.ending && joined(events) == expected.events,
                     "a whole body read differently from a stream")
    }
    return 0
}

struct Lines: Equatable {
    var lines: [[UInt8]] = []
    var overflowed = false
}

func lines(_ pieces: [ArraySlice<UInt8>], limit: Int) -> Lines {
    var reader = NDJSONLineReader(maxBytes: limit)
    var out = Lines()
    for piece in pieces {
        Array(piece).withUnsafeBufferPointer { reader.feed($0) { out.lines.append(Array($0)) } }
    }
    reader.finish { out.lines.append(Array($0)) }
    out.overflowed = reader.overflowed
    return out
}

/// The framing as the reader documents it, written the plain way: lines end at "\n", one "\r"
/// before it is dropped, leading blanks and tabs go, blank lines are skipped, and a line longer
/// than the limit stops everything.
func referenceLines(_ bytes: [UInt8], limit: Int) -> Lines {
    var out = Lines()
    for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        guard raw.count <= limit else {
            out.overflowed = true
            return out
        }
        var line = raw
        if line.last == 0x0D { line = line.dropLast() }
        line = line.drop { $0 == 0x20 || $0 == 0x09 }
        if !line.isEmpty { out.lines.append(Array(line)) }
    }
    return out
}

/// How a stream ended: done or not, and what `validateEnd` says.
struct Ending: Equatable {
    var isDone: Bool
    var error: String?

    init(_ reader: NDJSONStreamReader) {
        isDone = reader.isDone
        do throws(ModelClientError) {
            try reader.validateEnd()
            error = nil
        } catch {
            self.error = "\(error)"
        }
    }
}

struct Stream: Equatable {
    var events: [ModelEvent]
    var ending: Ending
}

func stream(_ pieces: [ArraySlice<UInt8>], limit: Int) -> Stream {
    var reader = NDJSONStreamReader(maxLineBytes: limit)
    var events: [ModelEvent] = []
    for piece in pieces {
        events += Array(piece).withUnsafeBytes { reader.feed($0) }
    }
    events += reader.finish()
    return Stream(events: joined(events), ending: Ending(reader))
}

/// Events with adjacent text (and adjacent reasoning) pieces joined.
func joined(_ events: [ModelEvent]) -> [ModelEvent] {
    var out: [ModelEvent] = []
    for event in events {
        switch (out.last, event) {
        case (.content(let a)?, .content(let b)): out[out.count - 1] = .content(a + b)
        case (.reasoning(let a)?, .reasoning(let b)): out[out.count - 1] = .reasoning(a + b)
        default: out.append(event)
        }
    }
    return out.filter { if case .content("") = $0 { return false } else { return true } }
}
