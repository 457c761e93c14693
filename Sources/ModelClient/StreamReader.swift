import AgentProtocol

/// Reads one attempt's SSE bytes into model events and knows whether the answer ended properly.
/// A pure state machine: the client feeds it network buffers.
///
/// Text is handed on once per network buffer, not once per chunk: one read often holds dozens
/// of one-token chunks, and joining them saves a stream hand-off and a screen write per token
/// without delaying anything, since they all arrived together.
struct StreamReader {
    private var parser = SSEParser()
    private let decoder = ChatChunkDecoder()
    /// Content text read from this buffer and not yet handed on.
    private var text: [UInt8] = []
    private(set) var isDone = false
    private var sawFinish = false
    private var validEvents = 0
    private(set) var malformedLines = 0
    private var serverError: String?

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
        var out: [ModelEvent] = []
        // Moved out so that the parser's callback may change the rest of self.
        var parser = self.parser
        self.parser = SSEParser()
        step(&parser) { data, _ in handle(data, into: &out) }
        self.parser = parser
        flushText(into: &out)
        return out
    }

    mutating func whole(_ body: String) -> [ModelEvent] {
        var out: [ModelEvent] = []
        var body = body
        body.withUTF8 { handle($0, into: &out) }
        flushText(into: &out)
        if validEvents > 0 { isDone = true }
        return out
    }

    private mutating func handle(_ data: UnsafeBufferPointer<UInt8>, into out: inout [ModelEvent]) {
        guard !isDone else { return }
        if ContentDeltaFastPath.appendContent(of: data, to: &text) {
            validEvents += 1
            return
        }
        switch decoder.decodeInFull(data) {
        case .done:
            isDone = true
        case .events(let events):
            validEvents += 1
            for event in events {
                switch event {
                case .content(let more):
                    text.append(contentsOf: more.utf8)
                case .reasoning(let more):
                    flushText(into: &out)
                    if case .reasoning(let before)? = out.last {
                        out[out.count - 1] = .reasoning(before + more)
                    } else {
                        out.append(event)
                    }
                default:
                    if case .finish = event { sawFinish = true }
                    flushText(into: &out)
                    out.append(event)
                }
            }
        case .malformed:
            malformedLines += 1
        case .serverError(let message):
            serverError = message
            isDone = true
        }
    }

    private mutating func flushText(into out: inout [ModelEvent]) {
        guard !text.isEmpty else { return }
        out.append(.content(String(decoding: text, as: UTF8.self)))
        text.removeAll(keepingCapacity: true)
    }

    /// Throws when the stream did not end the way a complete answer ends.
    func validateEnd() throws(ModelClientError) {
        if let serverError { throw .httpStatus(code: 500, message: serverError, retryAfter: nil) }
        if isDone || sawFinish { return }
        if validEvents == 0 && malformedLines > 0 {
            throw .malformedStream("none of its \(malformedLines) lines was a chat chunk")
        }
        throw .streamEndedEarly
    }
}
