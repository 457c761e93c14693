import AgentProtocol

/// What the stream readers share: turns decoded chunks into the events of one attempt, and knows
/// whether the answer ended the way a complete answer ends.
///
/// Text is handed on once per network buffer, not once per chunk: one read often holds dozens
/// of one-token chunks, and joining them saves a stream hand-off and a screen write per token
/// without delaying anything, since they all arrived together.
struct ChunkCollector {
    /// Content text read from this buffer and not yet handed on.
    var text: [UInt8] = []
    private(set) var out: [ModelEvent] = []
    private(set) var isDone = false
    private var sawFinish = false
    /// Chunks that carried something; the stall watchdog counts them as progress.
    private(set) var validEvents = 0
    private(set) var malformedLines = 0
    private var failure: ModelClientError?

    /// Text the fast path appended to `text` itself.
    mutating func countFastChunk() { validEvents += 1 }

    mutating func take(_ outcome: ChatChunkDecoder.Outcome) {
        guard !isDone else { return }
        switch outcome {
        case .done:
            isDone = true
        case .events(let events):
            validEvents += 1
            for event in events { take(event) }
        case .malformed:
            malformedLines += 1
        case .wrongType(let field):
            fail(.malformedStream("a chunk's field \(field) has the wrong type"))
        case .serverError(let message):
            fail(.httpStatus(code: 500, message: message, retryAfter: nil))
        }
    }

    private mutating func take(_ event: ModelEvent) {
        switch event {
        case .content(let more):
            text.append(contentsOf: more.utf8)
        case .reasoning(let more):
            flushText()
            if case .reasoning(let before)? = out.last {
                out[out.count - 1] = .reasoning(before + more)
            } else {
                out.append(event)
            }
        case .finish, .toolCall, .usage, .attemptVoided, .retrying, .skippedLines:
            if case .finish = event { sawFinish = true }
            flushText()
            out.append(event)
        }
    }

    /// Ends the stream at once: a line too long, a wrong-typed field, an error from the server.
    mutating func fail(_ error: ModelClientError) {
        if failure == nil { failure = error }
        isDone = true
    }

    /// The events collected since the last call.
    mutating func drain() -> [ModelEvent] {
        flushText()
        defer { out.removeAll(keepingCapacity: true) }
        return out
    }

    private mutating func flushText() {
        guard !text.isEmpty else { return }
        out.append(.content(String(decoding: text, as: UTF8.self)))
        text.removeAll(keepingCapacity: true)
    }

    /// A whole answer (a server that ignored `stream: true`) counts as done once it said anything.
    mutating func markWholeAnswer() {
        if validEvents > 0 { isDone = true }
    }

    /// Throws when the stream did not end the way a complete answer ends.
    func validateEnd() throws(ModelClientError) {
        if let failure { throw failure }
        if validEvents == 0 && malformedLines > 0 {
            throw .malformedStream("none of its \(malformedLines) lines was a chat chunk")
        }
        if isDone || sawFinish { return }
        throw .streamEndedEarly
    }
}

/// Reads one attempt's body into model events; the client feeds it network buffers. Pure state
/// machines, one per wire format.
protocol ChatStreamReader {
    var isDone: Bool { get }
    /// Chunks that carried something so far (the stall watchdog's idea of progress).
    var progress: Int { get }
    /// Lines that were not chat chunks, skipped.
    var malformedLines: Int { get }
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [ModelEvent]
    mutating func finish() -> [ModelEvent]
    /// A whole JSON answer from a server that ignored `stream: true`.
    mutating func whole(_ body: String) -> [ModelEvent]
    func validateEnd() throws(ModelClientError)
}
