/// Exit codes a script can rely on.
struct ExitStatus: Error, Equatable {
    var code: Int32
    static let success = ExitStatus(code: 0)
    /// Model, network or tool failure.
    static let failure = ExitStatus(code: 1)
    /// Usage or configuration error.
    static let usage = ExitStatus(code: 2)
    static let interrupted = ExitStatus(code: 130)
    static func signal(_ sig: Int32) -> ExitStatus { ExitStatus(code: 128 + sig) }
}
