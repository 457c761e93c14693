/// Why a line is not a message this side can act on. The line is reported and skipped; only an
/// unsupported version ends the conversation (nothing after it can be trusted).
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Longer than `HostWire.maxLineBytes`.
    case tooLong(bytes: Int)
    case notJSON(String)
    case notAnObject
    case missingVersion
    /// The other side speaks another version of the protocol (agent and agent-mcp come from
    /// different builds).
    case unsupportedVersion(Int)
    case unknownType(String)
    case missingField(String)
    case badField(String, expected: String)

    public var description: String {
        switch self {
        case .tooLong(let bytes): "a line of \(bytes) bytes, over the \(HostWire.maxLineBytes)-byte limit"
        case .notJSON(let detail): "not JSON (\(detail))"
        case .notAnObject: "not a JSON object"
        case .missingVersion: "no protocol version (\"v\")"
        case .unsupportedVersion(let version):
            "protocol version \(version), where this side speaks \(HostWire.version): agent and agent-mcp must come from the same build"
        case .unknownType(let type): "an unknown message type \"\(type)\""
        case .missingField(let name): "no \"\(name)\""
        case .badField(let name, let expected): "\"\(name)\" is not \(expected)"
        }
    }

    /// Nothing more can be understood from the other side.
    public var isFatal: Bool {
        switch self {
        case .unsupportedVersion: true
        case .tooLong, .notJSON, .notAnObject, .missingVersion, .unknownType, .missingField, .badField: false
        }
    }
}
