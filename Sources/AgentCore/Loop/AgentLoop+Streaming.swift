import AgentProtocol
import Foundation

extension AgentLoop {
    enum StreamStep {
        case answered(String, [ToolCall])
        case cancelled
        case failed(any Error)
        case tooLarge(OversizedMessage)
    }

    /// Collects one answer: fit the request, stream it, then keep what arrived. A voided
    /// attempt's text is dropped; an interrupted stream keeps what arrived as an assistant message
    /// marked interrupted, minus half-received tool calls.
    func streamOneAnswer(emit: @escaping @Sendable (AgentEvent) -> Void) async -> StreamStep {
        let request = fitRequest(emit: emit)
        guard request.fits else { return .tooLarge(oversizedLastMessage(request)) }
        emit(.waitingForModel)
        var answer = AnswerInProgress()
        do {
            for try await event in model.streamChat(messages: request.messages, tools: request.tools) {
                await absorb(event, into: &answer, emit: emit)
            }
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            await keepPartial(answer, why: cancelled ? "interrupted by the user" : "interrupted: \(error)")
            return cancelled ? .cancelled : .failed(error)
        }
        if Task.isCancelled {
            await keepPartial(answer, why: "interrupted by the user")
            return .cancelled
        }
        reportUsage(answer, of: request, emit: emit)
        return await complete(answer, emit: emit)
    }

    /// What will be sent for the current conversation: trimmed to the window, announced when the
    /// number of left-out messages changes.
    private func fitRequest(emit: @Sendable (AgentEvent) -> Void) -> FittedRequest {
        let request = context.fit(messages, tools: toolSpecs)
        if request.omitted != lastOmitted {
            lastOmitted = request.omitted
            if request.omitted > 0 { emit(.truncated(omitted: request.omitted)) }
        }
        lastSent = request
        return request
    }

    /// One event of the stream. Streamed text is handed to the recorder as it grows; the session
    /// journal decides when to write it (the one place partial saves are throttled).
    private func absorb(_ event: ModelEvent, into answer: inout AnswerInProgress, emit: @Sendable (AgentEvent) -> Void) async {
        switch event {
        case .content(let piece):
            answer.markToken()
            answer.text += piece
            emit(.text(piece))
            recorder?.recordPartial(appending: piece, reasoning: "")
        case .reasoning(let piece):
            answer.markToken()
            answer.reasoning += piece
            emit(.reasoning(piece))
            recorder?.recordPartial(appending: "", reasoning: piece)
        case .toolCall(let delta):
            answer.markToken()
            answer.assembler.add(delta)
        case .usage(let usage):
            answer.usage = usage
        case .finish:
            break
        case .attemptVoided:
            if !answer.text.isEmpty || !answer.reasoning.isEmpty { await recorder?.discardPartial() }
            answer = AnswerInProgress()
            emit(.attemptVoided)
        case .retrying(let notice):
            emit(.retrying(notice))
        case .skippedLines(let count):
            emit(.skippedLines(count))
        }
    }

    /// Reports the server's counts, teaches them to the calibration, and says how full the window is.
    private func reportUsage(_ answer: AnswerInProgress, of request: FittedRequest, emit: @Sendable (AgentEvent) -> Void) {
        guard let usage = answer.usage else { return }
        context.calibration.observe(estimated: request.rawEstimate, reported: usage.promptTokens)
        let prompt = usage.promptTokens > 0 ? usage.promptTokens : request.promptTokens
        let use = context.window.map { ContextUse(usedTokens: prompt + usage.completionTokens, window: $0) }
        emit(.usage(usage, generationSeconds: answer.generationSeconds, context: use))
    }

    /// The finished answer becomes a message: tool calls put together (or recovered from text
    /// that spelled one out), reasoning and the window kept as metadata.
    private func complete(_ answer: AnswerInProgress, emit: @Sendable (AgentEvent) -> Void) async -> StreamStep {
        var text = answer.text
        var (calls, dropped) = answer.assembler.finish()
        if calls.isEmpty, !text.isEmpty,
            let recovered = LeakedToolCall.recover(from: text, knownTools: Set(toolOrder), makeID: ToolCall.makeID)
        {
            calls = recovered
            text = ""
        }
        var message = Message.assistant(text, toolCalls: calls)
        message.metadata.reasoning = answer.reasoning.isEmpty ? nil : answer.reasoning
        message.metadata.window = context.window
        message.metadata.trimmedFrom = context.keptFrom
        if dropped > 0 { message.metadata.note = "dropped \(dropped) tool call(s) that arrived without a name" }
        let refused = answer.assembler.refusedCount
        if refused > 0 {
            // The answer keeps the calls that run, so the model sees each of them answered.
            let note = "\(refused) more tool call(s) past the first \(ToolCallAssembler.maxCalls) were not run"
            message.metadata.note = [message.metadata.note, note].compactMap { $0 }.joined(separator: "; ")
            emit(.toolCallsRefused(run: calls.count, refused: refused))
        }
        await append(message)
        return .answered(text, calls)
    }

    private func keepPartial(_ answer: AnswerInProgress, why: String) async {
        let begunCalls = answer.assembler.count
        guard !answer.isEmpty else { return }
        var message = Message.assistant(answer.text)
        message.metadata.interrupted = true
        message.metadata.reasoning = answer.reasoning.isEmpty ? nil : answer.reasoning
        message.metadata.window = context.window
        message.metadata.trimmedFrom = context.keptFrom
        var note = why
        if begunCalls > 0 { note += "; dropped \(begunCalls) half-received tool call(s)" }
        message.metadata.note = note
        // A message with neither text nor calls would be rejected by some servers; the note alone
        // still records what was dropped.
        if answer.text.isEmpty { message.content = "[interrupted before any text]" }
        await append(message)
    }

    /// The last user message no longer fits (the window shrank under it).
    private func oversizedLastMessage(_ request: FittedRequest) -> OversizedMessage {
        let last = messages.last { $0.role == .user }
        let budget = context.budget(tools: request.tools)
        return OversizedMessage(
            tokens: last.map(context.cost) ?? 0, fitsTokens: budget.historyTokens, window: budget.window,
            model: model.modelName)
    }
}
