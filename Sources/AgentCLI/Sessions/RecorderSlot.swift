import Synchronization

/// The session recorder in use now; signal handlers read it to save before exiting.
final class RecorderSlot: Sendable {
    private let value = Mutex<SessionRecorder?>(nil)
    func get() -> SessionRecorder? { value.withLock { $0 } }
    func set(_ recorder: SessionRecorder?) { value.withLock { $0 = recorder } }
}
