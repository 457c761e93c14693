import Synchronization

/// A value computed at most once and shared by every copy of a client: the first caller starts
/// the work, later callers (and concurrent ones) await the same result.
final class Once<Value: Sendable>: Sendable {
    private let task = Mutex<Task<Value, Never>?>(nil)

    init() {}

    /// The value, computing it with `make` if nobody has started to.
    func value(_ make: @escaping @Sendable () async -> Value) async -> Value {
        await start(make).value
    }

    /// Starts the work without waiting for it (discovery in the background of the preflight).
    @discardableResult
    func start(_ make: @escaping @Sendable () async -> Value) -> Task<Value, Never> {
        task.withLock { current in
            if let current { return current }
            let started = Task { await make() }
            current = started
            return started
        }
    }

    /// Records a value learned another way; the first one wins.
    func set(_ value: Value) {
        task.withLock { current in
            if current == nil { current = Task { value } }
        }
    }
}
