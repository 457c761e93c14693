/// Where a hosted MCP server stands, as `/mcp` shows it and as the `server` event carries it.
public enum HostedServerState: Sendable, Equatable, CustomStringConvertible {
    /// `enabled = false`: never started.
    case disabled
    case starting
    case ready
    /// It could not be started, or gave up during start-up; the reason is one line.
    case failed(String)
    /// It was ready and its process ended.
    case exited(String)
    /// agent ended it.
    case stopped

    public var description: String {
        switch self {
        case .disabled: "disabled"
        case .starting: "starting"
        case .ready: "ready"
        case .failed(let reason): "failed: \(reason)"
        case .exited(let reason): "exited: \(reason)"
        case .stopped: "stopped"
        }
    }

    /// The word on the wire; the reason, when there is one, travels beside it.
    var wireName: String {
        switch self {
        case .disabled: "disabled"
        case .starting: "starting"
        case .ready: "ready"
        case .failed: "failed"
        case .exited: "exited"
        case .stopped: "stopped"
        }
    }

    var reason: String? {
        switch self {
        case .failed(let reason), .exited(let reason): reason
        case .disabled, .starting, .ready, .stopped: nil
        }
    }

    init?(wireName: String, reason: String?) {
        switch wireName {
        case "disabled": self = .disabled
        case "starting": self = .starting
        case "ready": self = .ready
        case "failed": self = .failed(reason ?? "")
        case "exited": self = .exited(reason ?? "")
        case "stopped": self = .stopped
        default: return nil
        }
    }
}
