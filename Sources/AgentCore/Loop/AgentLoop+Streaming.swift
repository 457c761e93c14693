import AgentProtocol
import Foundation

extension AgentLoop {
    enum StreamStep {
        case answered(String, [ToolCall])
        case cancelled
        case failed(any Error)
    }

    /// Collects one answer. A voided attempt's text is dropped; an interrupted stream keeps what
    /// arrived as an assistant message marked interrupted, minus half-received tool calls.
    func streamOneAnswer(emit: @escaping @Sendable (AgentEvent) -> Void) async -> StreamStep {
        let outgoing = outgoingMessages(emit: emit)
        emit(.waitingForModel)
        var text = ""
        var reasoning = ""
        var assembler = ToolCallAssembler()
        var usage: Usage?
        var firstToken: ContinuousClock.Instant?
        var lastPartialSave = ContinuousClock.now
        var savedPartialLength = 0

        do {
            for try await event in model.streamChat(messages: outgoing, tools: toolSpecs) {
                switch event {
                case .content(let piece):
                    if firstToken == nil { firstToken = .now }
                    text += piece
                    emit(.text(piece))
                    // Journal the partial answer about once a second, so a kill -9 loses at most that.
                    if ContinuousClock.now - lastPartialSave >= .seconds(1) {
                        lastPartialSave = .now
                        savedPartialLength = text.utf8.count
                        await recorder?.recordPartial(text)
                    }
                case .reasoning(let piece):
                    if firstToken == nil { firstToken = .now }
                    reasoning += piece
                    emit(.reasoning(piece))
                case .toolCall(let delta):
                    if firstToken == nil { firstToken = .now }
                    assembler.add(delta)
                case .usage(let u):
                    usage = u
                case .finish:
                    break
                case .attemptVoided:
                    text = ""
                    reasoning = ""
                    assembler = ToolCallAssembler()
                    firstToken = nil
                    if savedPartialLength > 0 {
                        savedPartialLength = 0
                        await recorder?.recordPartial("")
                    }
                    emit(.attemptVoided)
                case .retrying(let notice):
                    emit(.retrying(notice))
                }
            }
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            await keepPartial(text: text, reasoning: reasoning, assembler: assembler,
                              why: cancelled ? "interrupted by the user" : "interrupted: \(error)")
            return cancelled ? .cancelled : .failed(error)
        }
        if Task.isCancelled {
            await keepPartial(text: text, reasoning: reasoning, assembler: assembler,
                              why: "interrupted by the user")
            return .cancelled
        }

        if let usage {
            let seconds = firstToken.map { (ContinuousClock.now - $0).seconds } ?? 0
            emit(.usage(usage, generationSeconds: seconds))
        }
        var (calls, dropped) = assembler.finish()
        if calls.isEmpty, !text.isEmpty,
            let recovered = LeakedToolCall.recover(from: text, knownTools: Set(toolOrder), makeID: ToolCall.makeID)
        {
            calls = recovered
            text = ""
        }
        var message = Message.assistant(text, toolCalls: calls)
        message.metadata.reasoning = reasoning.isEmpty ? nil : reasoning
        if dropped > 0 { message.metadata.note = "dropped \(dropped) tool call(s) that arrived without a name" }
        await append(message)
        return .answered(text, calls)
    }

    private func keepPartial(text: String, reasoning: String, assembler: ToolCallAssembler, why: String) async {
        let begunCalls = assembler.count
        guard !text.isEmpty || !reasoning.isEmpty || begunCalls > 0 else { return }
        var message = Message.assistant(text)
        message.metadata.interrupted = true
        message.metadata.reasoning = reasoning.isEmpty ? nil : reasoning
        var note = why
        if begunCalls > 0 { note += "; dropped \(begunCalls) half-received tool call(s)" }
        message.metadata.note = note
        // A message with neither text nor calls would be rejected by some servers; the note alone
        // still records what was dropped.
        if text.isEmpty { message.content = "[interrupted before any text]" }
        await append(message)
    }
}
