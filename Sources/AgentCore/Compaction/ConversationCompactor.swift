import AgentProtocol
import Foundation

/// Writes the summary a compaction puts in place of older messages: one request to the model
/// (no tools) when they fit, else one per piece and then requests that merge the pieces'
/// summaries, until one is left. Every request is sized with the loop's own estimate against
/// the same budget as a turn, so none is larger than the window allows.
///
/// Memory stays that of one piece: pieces are built as they are sent. Each answer is cut off
/// at `summaryTokens` (the stream is dropped there), which bounds its size and its time.
struct ConversationCompactor: Sendable {
    let model: any ChatModel
    /// The loop's estimate and window, as they were when the compaction began.
    let tracker: ContextTracker
    /// Tokens one summary request's messages may take.
    let budget: Int
    /// The longest summary wanted, in tokens.
    let summaryTokens: Int

    /// A focus longer than this is cut: it steers the summary, it is not material for it.
    static let focusBytes = 1_000
    /// The user's first message is context for the summary, at most this share of a request.
    static let firstUserShare = 0.2

    struct Summary: Sendable {
        var text: String
        var requests: Int
        /// The estimate and the server's count of each request's prompt, for the calibration.
        var counts: [(estimated: Int, reported: Int)]
    }

    func summarise(
        _ messages: ArraySlice<Message>, firstUser: String, focus: String?,
        progress: @Sendable (CompactionProgress) -> Void
    ) async throws(CompactionFailure) -> Summary {
        let focus = focus.map { ToolResultCut.cut($0, keepBytes: Self.focusBytes, what: "focus") }
        let first = fitted(firstUser, tokens: Int(Double(budget) * Self.firstUserShare))
        let system = Message.system(SummaryPrompt.system(words: max(40, summaryTokens * 3 / 5)))
        let fixed = tracker.cost(system) + tracker.cost(.user(SummaryPrompt.piece("", part: 99, of: 99, firstUser: first, focus: focus)))
        // Room for the transcript; merging needs two summaries side by side.
        let capacity = budget - fixed - 8
        guard capacity >= 2 * summaryTokens + 64 else { throw .windowTooSmall(window: tracker.budget(tools: []).window.tokens) }
        let pieces = TranscriptPieces(capacity: capacity, tokens: tokenCounter)
        let count = pieces.count(messages)
        progress(.started(messages: messages.count, tokens: messages.reduce(0) { $0 + tracker.cost($1) }, pieces: count))

        var result = Summary(text: "", requests: 0, counts: [])
        var summaries: [String] = []
        var index = messages.startIndex
        while let piece = pieces.next(messages, from: &index) {
            progress(.summarising(part: summaries.count + 1, of: count))
            let text = SummaryPrompt.piece(piece, part: summaries.count + 1, of: count, firstUser: first, focus: focus)
            summaries.append(try await ask([system, .user(text)], into: &result))
        }
        let text = try await merge(summaries, system: system, capacity: capacity, firstUser: first, focus: focus,
                                   into: &result, progress: progress)
        result.text = text
        return result
    }

    /// Merges the pieces' summaries, several at a time, until one is left.
    private func merge(
        _ pieces: [String], system: Message, capacity: Int, firstUser first: String, focus: String?,
        into result: inout Summary, progress: @Sendable (CompactionProgress) -> Void
    ) async throws(CompactionFailure) -> String {
        var summaries = pieces
        while summaries.count > 1 {
            progress(.merging(summaries: summaries.count))
            var merged: [String] = []
            for group in groups(summaries, capacity: capacity) {
                if group.count == 1 {
                    merged.append(group[0])
                } else {
                    let text = SummaryPrompt.merge(group, firstUser: first, focus: focus)
                    merged.append(try await ask([system, .user(text)], into: &result))
                }
            }
            // Two summaries always fit one request by construction; should they not, stop here.
            guard merged.count < summaries.count else { throw .windowTooSmall(window: tracker.budget(tools: []).window.tokens) }
            summaries = merged
        }
        return summaries.first ?? ""
    }

    private var tokenCounter: @Sendable (String) -> Int {
        let tracker = self.tracker
        return { tracker.calibration.tokens(tracker.estimator.tokens(in: $0)) }
    }

    /// `text` cut (head and tail) to about `tokens` tokens.
    private func fitted(_ text: String, tokens: Int) -> String {
        let cost = tokenCounter(text)
        guard cost > tokens, cost > 0 else { return text }
        let keep = Int(Double(text.utf8.count) * Double(tokens) / Double(cost) * 0.9) - ToolResultCut.noteBytes
        return ToolResultCut.cut(text, keepBytes: max(0, keep), what: "message")
    }

    /// Consecutive summaries in groups that fit one merge request; every group of more than one
    /// makes progress, and two always fit (the capacity holds two summaries by construction).
    private func groups(_ summaries: [String], capacity: Int) -> [[String]] {
        var groups: [[String]] = []
        var current: [String] = []
        var used = 0
        for summary in summaries {
            let cost = tokenCounter(summary) + 8
            if !current.isEmpty, used + cost > capacity {
                groups.append(current)
                current = []
                used = 0
            }
            current.append(summary)
            used += cost
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// Sends one summary request and returns its answer, cut at `summaryTokens`.
    private func ask(_ request: [Message], into result: inout Summary) async throws(CompactionFailure) -> String {
        let size = request.reduce(0) { $0 + tracker.cost($1) }
        guard size <= budget else { throw .windowTooSmall(window: tracker.budget(tools: []).window.tokens) }
        result.requests += 1
        var answer = SummaryAnswer(limit: summaryTokens, tokens: tokenCounter)
        do {
            for try await event in model.streamChat(messages: request, tools: []) {
                if answer.take(event) == .full { break }
            }
        } catch {
            if error is CancellationError || Task.isCancelled { throw .cancelled }
            throw .request(String(describing: error), overflow: (error as? any ContextOverflowReporting)?.contextOverflow)
        }
        if Task.isCancelled { throw .cancelled }
        if let reported = answer.promptTokens {
            result.counts.append((tracker.estimator.tokens(in: request), reported))
        }
        let text = answer.finished()
        guard !text.isEmpty else { throw .emptySummary }
        return text
    }
}

/// One summary as it streams: its text (a voided attempt starts it over), the prompt size the
/// server reported, and the cut once it passes its limit.
struct SummaryAnswer: Sendable {
    enum State { case open, full }

    let limit: Int
    let tokens: @Sendable (String) -> Int
    private(set) var text = ""
    private(set) var promptTokens: Int?
    private(set) var wasCut = false

    init(limit: Int, tokens: @escaping @Sendable (String) -> Int) {
        self.limit = max(1, limit)
        self.tokens = tokens
    }

    mutating func take(_ event: ModelEvent) -> State {
        switch event {
        case .content(let piece):
            text += piece
            if tokens(text) > limit {
                wasCut = true
                return .full
            }
        case .attemptVoided:
            text = ""
        case .usage(let usage):
            promptTokens = usage.promptTokens > 0 ? usage.promptTokens : nil
        case .reasoning, .toolCall, .finish, .retrying, .skippedLines:
            break
        }
        return .open
    }

    /// The text, trimmed; a summary that ran past its limit ends at the last whole line within it.
    func finished() -> String {
        guard wasCut else { return text.trimmedWhitespace() }
        let bytes = Array(text.utf8)
        var end = min(bytes.count, max(0, bytes.count * limit / max(1, tokens(text)) - 48))
        if let newline = bytes[..<end].lastIndex(of: 0x0A), newline > end / 2 {
            end = newline
        } else {
            while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).trimmedWhitespace()
        return head + "\n[… the summary was cut here at its length limit]"
    }
}
