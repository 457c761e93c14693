/// What agent-mcp tells agent, one line each, in the order things happened.
public enum HostEvent: Sendable, Equatable {
    /// A server's state changed (or its process was spawned: then `pid` is new).
    case server(ServerUpdate)
    /// A one-line warning for the user (a tool left out because its schema cannot be read).
    case notice(String)
    /// The outcome of a `call`: exactly one for each.
    case result(CallResult)
    /// A request line agent-mcp could not read, and why; the line is otherwise ignored.
    case error(String)
}

public struct ServerUpdate: Sendable, Equatable {
    public var name: String
    public var state: HostedServerState
    /// The server's process, which leads its own process group; nil until it is spawned.
    public var pid: Int32?
    /// Where its stderr goes, once known.
    public var logFile: String?
    /// Its tools, in listing order; sent with `ready`, empty otherwise.
    public var tools: [HostedTool]

    public init(name: String, state: HostedServerState, pid: Int32? = nil, logFile: String? = nil,
                tools: [HostedTool] = []) {
        self.name = name
        self.state = state
        self.pid = pid
        self.logFile = logFile
        self.tools = tools
    }
}

public struct CallResult: Sendable, Equatable {
    public var id: Int
    /// The tool's text (capped like every tool's output), or why the call failed.
    public var text: String
    /// The model reads `text` as an error: the server said so (`isError`), or the call failed,
    /// timed out or was cancelled.
    public var isError: Bool

    public init(id: Int, text: String, isError: Bool) {
        self.id = id
        self.text = text
        self.isError = isError
    }
}
