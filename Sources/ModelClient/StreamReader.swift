import AgentProtocol

/// Reads one attempt's SSE bytes (OpenAI-compatible servers) into model events.
struct StreamReader: ChatStreamReader {
    private var parser = SSEParser()
    private let decoder = ChatChunkDecoder()
    private var collector = ChunkCollector()

    var isDone: Bool { collector.isDone }
    var progress: Int { collector.validEvents }
    var malformedLines: Int { collector.malformedLines }

    init(maxEventBytes: Int = SSEParser.defaultMaxBytes) {
        parser = SSEParser(maxBytes: maxEventBytes)
    }

    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) -> [ModelEvent] {
        parse { parser, onEvent in parser.feed(bytes, onEvent: onEvent) }
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [ModelEvent] {
        feed(bytes.assumingMemoryBound(to: UInt8.self))
    }

    mutating func finish() -> [ModelEvent] {
        parse { parser, onEvent in parser.finish(onEvent: onEvent) }
    }

    /// Runs one parser step and returns the events of the data it dispatched.
    private mutating func parse(
        _ step: (inout SSEParser, (UnsafeBufferPointer<UInt8>, String?) -> Void) -> Void
    ) -> [ModelEvent] {
        // Moved out so that the parser's callback may change the rest of self.
        var parser = self.parser
        self.parser = SSEParser(maxBytes: 1)
        step(&parser) { data, _ in handle(data) }
        self.parser = parser
        if parser.overflowed {
            collector.fail(.malformedStream("an event longer than \(ByteCount.text(parser.maxBytes))"))
        }
        return collector.drain()
    }

    mutating func whole(_ body: String) -> [ModelEvent] {
        var body = body
        body.withUTF8 { handle($0) }
        collector.markWholeAnswer()
        return collector.drain()
    }

    private mutating func handle(_ data: UnsafeBufferPointer<UInt8>) {
        guard !collector.isDone else { return }
        if ContentDeltaFastPath.appendContent(of: data, to: &collector.text) {
            collector.countFastChunk()
            return
        }
        collector.take(decoder.decodeInFull(data))
    }

    func validateEnd() throws(ModelClientError) {
        try collector.validateEnd()
    }
}
