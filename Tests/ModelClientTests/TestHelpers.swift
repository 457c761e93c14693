import AgentProtocol
import AgentTestSupport
import Foundation
import Synchronization
@testable import ModelClient

/// Records the delays the client asks for instead of sleeping.
final class RecordingSleeper: Sleeper {
    private let delays = Mutex<[Double]>([])
    var recorded: [Double] { delays.withLock { $0 } }
    func sleep(seconds: Double) async throws { delays.withLock { $0.append(seconds) } }
}

/// What a consumer ends up with, applying `attemptVoided` the way the agent loop does.
struct Collected {
    var text = ""
    var events: [ModelEvent] = []
    var retries: [RetryNotice] = []
    var error: (any Error)?
}

func collect(_ stream: AsyncThrowingStream<ModelEvent, any Error>) async -> Collected {
    var result = Collected()
    do {
        for try await event in stream {
            result.events.append(event)
            switch event {
            case .content(let text): result.text += text
            case .attemptVoided: result.text = ""
            case .retrying(let notice): result.retries.append(notice)
            default: break
            }
        }
    } catch {
        result.error = error
    }
    return result
}

func config(_ server: FakeModelServer, retries: Int = 3, idle: Double = 60, model: String = "test-model") -> LLMConfig {
    LLMConfig(model: model, endpoint: server.endpoint, connectTimeout: 2, maxRetries: retries, backoffBase: 0.01,
              backoffMax: 0.05, streamIdleTimeout: idle)
}

/// Runs `body` with a started server and a client, and shuts both down afterwards.
func withServer<T>(
    _ server: FakeModelServer, retries: Int = 3, idle: Double = 60, model: String = "test-model",
    sleeper: any Sleeper = RecordingSleeper(), configure: (inout LLMConfig) -> Void = { _ in },
    _ body: (LLMClient) async throws -> T
) async throws -> T {
    try await server.start()
    var settings = config(server, retries: retries, idle: idle, model: model)
    configure(&settings)
    let client = LLMClient(config: settings, sleeper: sleeper)
    do {
        let result = try await body(client)
        await client.shutdown()
        await server.stop()
        return result
    } catch {
        await client.shutdown()
        await server.stop()
        throw error
    }
}

/// Starts a request whose stream holds at `gate`, cancels the consumer once the server has the
/// request, and returns the texts the consumer saw (nil when it ended by throwing).
func textsSeenBeforeCancelling(_ server: FakeModelServer, gate: Gate) async throws -> [String]? {
    try await server.start()
    let client = LLMClient(config: config(server))
    let task = Task {
        var texts: [String] = []
        for try await event in client.streamChat(messages: [.user("hi")], tools: []) {
            if case .content(let t) = event { texts.append(t) }
        }
        return texts
    }
    await server.chatRequestCounter.wait(atLeast: 1)
    task.cancel()
    let outcome = await task.result
    gate.open()
    await client.shutdown()
    await server.stop()
    if case .success(let texts) = outcome { return texts }
    return nil
}
