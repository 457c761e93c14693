import AgentProtocol

/// Reads one attempt's SSE bytes into model events and knows whether the answer ended properly.
/// A pure state machine: the client feeds it network buffers.
struct StreamReader {
    private var parser = SSEParser()
    private let decoder = ChatChunkDecoder()
    private(set) var isDone = false
    private var sawFinish = false
    private var validEvents = 0
    private(set) var malformedLines = 0
    private var serverError: String?

    mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [ModelEvent] {
        handle(parser.feed(bytes))
    }

    mutating func finish() -> [ModelEvent] {
        handle(parser.finish())
    }

    mutating func whole(_ body: String) -> [ModelEvent] {
        let events = handle([SSEEvent(data: body)])
        if validEvents > 0 { isDone = true }
        return events
    }

    private mutating func handle(_ sseEvents: [SSEEvent]) -> [ModelEvent] {
        var out: [ModelEvent] = []
        for sse in sseEvents where !isDone {
            switch decoder.decode(sse.data) {
            case .done:
                isDone = true
            case .events(let events):
                validEvents += 1
                for event in events {
                    if case .finish = event { sawFinish = true }
                    out.append(event)
                }
            case .malformed:
                malformedLines += 1
            case .serverError(let message):
                serverError = message
                isDone = true
            }
        }
        return out
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
