import AgentProtocol
import Foundation

extension HostWire {
    /// Ids and pids are whole numbers a `Double` holds exactly.
    static let idRange = 0...(1 << 53)
    static let pidRange = 1...Int(Int32.max)

    /// The request in one line (without its newline).
    public static func decodeRequest(_ line: some DataProtocol) throws(WireError) -> HostRequest {
        let (type, fields) = try envelope(line)
        switch type {
        case "start":
            return .start(HostStart(
                clientVersion: try fields.string("client_version"), workspace: try fields.string("workspace"),
                servers: try fields.objects("servers").map { fields throws(WireError) in try server(fields) }))
        case "call":
            return .call(HostCall(
                id: try fields.int("id", in: idRange), server: try fields.string("server"),
                tool: try fields.string("tool"), arguments: try fields.optionalObject("arguments") ?? [:],
                timeout: try fields.seconds("timeout_sec"), displayName: try fields.string("display_name")))
        case "cancel": return .cancel(id: try fields.int("id", in: idRange))
        case "shutdown": return .shutdown
        default: throw .unknownType(type)
        }
    }

    /// The event in one line (without its newline).
    public static func decodeEvent(_ line: some DataProtocol) throws(WireError) -> HostEvent {
        let (type, fields) = try envelope(line)
        switch type {
        case "server":
            let name = try fields.string("state")
            guard let state = HostedServerState(wireName: name, reason: try fields.optionalString("reason")) else {
                throw .badField("state", expected: "a server state")
            }
            return .server(ServerUpdate(
                name: try fields.string("name"), state: state,
                pid: try fields.optionalInt("pid", in: pidRange).map { Int32($0) },
                logFile: try fields.optionalString("log_file"),
                tools: try fields.objects("tools").map { fields throws(WireError) in try tool(fields) }))
        case "notice": return .notice(try fields.string("text"))
        case "result":
            return .result(CallResult(id: try fields.int("id", in: idRange), text: try fields.string("text"),
                                      isError: try fields.bool("is_error")))
        case "error": return .error(try fields.string("message"))
        default: throw .unknownType(type)
        }
    }

    /// The message's type and fields, once its size, JSON and version are checked.
    private static func envelope(_ line: some DataProtocol) throws(WireError) -> (String, WireFields) {
        guard line.count <= maxLineBytes else { throw .tooLong(bytes: line.count) }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(line))
        } catch {
            throw .notJSON(Self.reason(error))
        }
        guard case .object(let object) = value else { throw .notAnObject }
        let fields = WireFields(object)
        guard object["v"] != nil else { throw .missingVersion }
        let written = try fields.int("v", in: 0...Int(Int32.max))
        guard written == version else { throw .unsupportedVersion(written) }
        return (try fields.string("type"), fields)
    }

    private static func server(_ fields: WireFields) throws(WireError) -> HostedServerConfig {
        HostedServerConfig(
            name: try fields.string("name"), command: try fields.string("command"), args: try fields.strings("args"),
            env: try fields.stringMap("env"), cwd: try fields.optionalString("cwd"),
            startupTimeout: try fields.seconds("startup_timeout_sec"), toolTimeout: try fields.seconds("tool_timeout_sec"),
            enabled: try fields.bool("enabled"), logFile: try fields.optionalString("log_file"))
    }

    private static func tool(_ fields: WireFields) throws(WireError) -> HostedTool {
        HostedTool(name: try fields.string("name"), description: try fields.optionalString("description") ?? "",
                   inputSchema: .object(try fields.object("input_schema")), readOnly: try fields.bool("read_only"),
                   openWorld: try fields.optionalBool("open_world"))
    }

    /// The decoder's complaint in one short line.
    private static func reason(_ error: any Error) -> String {
        let text: String
        if case DecodingError.dataCorrupted(let context) = error {
            text = context.underlyingError.map { "\($0)" } ?? context.debugDescription
        } else {
            text = "\(error)"
        }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }
}
