import AgentProtocol

/// Reads one attempt's NDJSON bytes (Ollama's `/api/chat`) into model events.
struct NDJSONStreamReader: ChatStreamReader {
    private var lines: NDJSONLineReader
    private let decoder = OllamaChunkDecoder()
    private var collector = ChunkCollector()
    private var calls = 0

    var isDone: Bool { collector.isDone }
    var progress: Int { collector.validEvents }
    var malformedLines: Int { collector.malformedLines }

    init(maxLineBytes: Int = NDJSONLineReader.defaultMaxBytes) {
        lines = NDJSONLineReader(maxBytes: maxLineBytes)
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [ModelEvent] {
        let buffer = bytes.assumingMemoryBound(to: UInt8.self)
        return step { reader, onLine in reader.feed(buffer, onLine: onLine) }
    }

    mutating func finish() -> [ModelEvent] {
        step { reader, onLine in reader.finish(onLine: onLine) }
    }

    mutating func whole(_ body: String) -> [ModelEvent] {
        var body = body
        let events = body.withUTF8 { bytes in step { reader, onLine in reader.feed(bytes, onLine: onLine) } }
        return events + finish()
    }

    private mutating func step(
        _ body: (inout NDJSONLineReader, (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> [ModelEvent] {
        var reader = lines
        lines = NDJSONLineReader(maxBytes: 1)
        body(&reader) { line in handle(line) }
        lines = reader
        if reader.overflowed {
            collector.fail(.malformedStream("a line longer than \(ByteCount.text(reader.maxBytes))"))
        }
        return collector.drain()
    }

    private mutating func handle(_ line: UnsafeBufferPointer<UInt8>) {
        guard !collector.isDone else { return }
        // A line of plain text (nearly every line of an answer) goes straight into the buffer.
        if ContentDeltaFastPath.appendContent(of: line, to: &collector.text, wire: .ollama) {
            collector.countFastChunk()
            return
        }
        let outcome = decoder.decode(line, callsSoFar: calls)
        if case .events(let events) = outcome {
            calls += events.count { if case .toolCall = $0 { true } else { false } }
            // The `done` line is the end of the answer: nothing after it belongs to it.
            collector.take(outcome)
            if events.contains(where: { if case .finish = $0 { true } else { false } }) { collector.take(.done) }
            return
        }
        collector.take(outcome)
    }

    func validateEnd() throws(ModelClientError) {
        try collector.validateEnd()
    }
}
