import AgentProtocol
import Foundation
import MCPHostWire
import Testing

@Suite struct HostWireTests {
    static let requests: [HostRequest] = [
        .start(HostStart(clientVersion: "0.1.0", workspace: "/home/me/project", servers: [
            HostedServerConfig(name: "git", command: "mcp-server-git", args: ["--repository", "."],
                               env: ["GIT_AUTHOR_NAME": "agent"], cwd: "sub", startupTimeout: 2.5, toolTimeout: 60,
                               enabled: true, logFile: "/state/mcp/git.log"),
            HostedServerConfig(name: "off", command: "/bin/x", enabled: false),
        ])),
        .call(HostCall(id: 7, server: "git", tool: "git_log", arguments: ["max_count": 3, "repo_path": "/r", "n": nil],
                       timeout: 0.5, displayName: "git__git_log")),
        .cancel(id: 7),
        .shutdown,
    ]

    static let events: [HostEvent] = [
        .server(ServerUpdate(name: "git", state: .starting, pid: 4242, logFile: "/state/mcp/git.log")),
        .server(ServerUpdate(name: "git", state: .ready, pid: 4242, tools: [
            HostedTool(name: "git_log", description: "Shows the log", inputSchema: ["type": "object", "properties": [:]],
                       readOnly: true),
            HostedTool(name: "git_commit", description: "", inputSchema: ["type": "object", "properties": [
                "message": ["type": "string"]]], readOnly: false, openWorld: false),
            HostedTool(name: "fetch", description: "Fetches a URL", inputSchema: ["type": "object", "properties": [:]],
                       readOnly: false, openWorld: true),
        ])),
        .server(ServerUpdate(name: "slow", state: .failed("no answer within 2 s (startup_timeout_sec)"))),
        .server(ServerUpdate(name: "git", state: .exited("was killed by signal 9"))),
        .server(ServerUpdate(name: "git", state: .stopped)),
        .server(ServerUpdate(name: "off", state: .disabled)),
        .notice("MCP server 'x': tool y is left out"),
        .result(CallResult(id: 7, text: "line 1\nline \"2\" ✓", isError: false)),
        .result(CallResult(id: 8, text: "it broke", isError: true)),
        .error("a request could not be read: not JSON"),
    ]

    @Test(arguments: requests) func requestsSurviveARoundTrip(_ request: HostRequest) throws {
        let line = HostWire.encode(request)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().firstIndex(of: UInt8(ascii: "\n")) == nil, "one line, however the text is")
        #expect(try HostWire.decodeRequest(line.dropLast()) == request)
    }

    @Test(arguments: events) func eventsSurviveARoundTrip(_ event: HostEvent) throws {
        let line = HostWire.encode(event)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().firstIndex(of: UInt8(ascii: "\n")) == nil)
        #expect(try HostWire.decodeEvent(line.dropLast()) == event)
    }

    @Test func aToolsOpenWorldHintIsSentOnlyWhenTheServerGaveOne() throws {
        func tool(_ openWorld: Bool?) throws -> [String: JSONValue]? {
            let update = ServerUpdate(name: "s", state: .ready, tools: [
                HostedTool(name: "t", description: "", inputSchema: ["type": "object"], readOnly: false, openWorld: openWorld),
            ])
            let line = String(decoding: HostWire.encode(HostEvent.server(update)), as: UTF8.self)
            guard case .array(let tools)? = JSONValue.parse(line)?.objectValue?["tools"] else { return nil }
            return tools.first?.objectValue
        }
        #expect(try tool(nil)?["open_world"] == nil)
        #expect(try tool(false)?["open_world"] == false)
        #expect(try tool(true)?["open_world"] == true)
    }

    @Test func everyLineCarriesTheVersionAndType() throws {
        let object = try #require(JSONValue.parse(String(decoding: HostWire.encode(HostRequest.shutdown), as: UTF8.self))?
            .objectValue)
        #expect(object == ["v": 1, "type": "shutdown"])
    }

    @Test func malformedLinesAreErrorsThatNameTheProblem() {
        let cases: [(String, WireError)] = [
            ("{not json", .notJSON("")),
            ("[1, 2]", .notAnObject),
            (#"{"type":"shutdown"}"#, .missingVersion),
            (#"{"v":"1","type":"shutdown"}"#, .badField("v", expected: "")),
            (#"{"v":1}"#, .missingField("type")),
            (#"{"v":1,"type":"dance"}"#, .unknownType("dance")),
            (#"{"v":1,"type":"cancel"}"#, .missingField("id")),
            (#"{"v":1,"type":"cancel","id":-1}"#, .badField("id", expected: "")),
            (#"{"v":1,"type":"cancel","id":1.5}"#, .badField("id", expected: "")),
            (#"{"v":1,"type":"cancel","id":1e300}"#, .badField("id", expected: "")),
            (#"{"v":1,"type":"call","id":1,"server":"s","tool":"t","timeout_sec":1e17,"display_name":"d"}"#,
             .badField("timeout_sec", expected: "")),
            (#"{"v":1,"type":"call","id":1,"server":"s","tool":"t","timeout_sec":0,"display_name":"d"}"#,
             .badField("timeout_sec", expected: "")),
            (#"{"v":1,"type":"call","id":1,"server":"s","tool":"t","timeout_sec":1,"display_name":"d","arguments":[1]}"#,
             .badField("arguments", expected: "")),
            (#"{"v":1,"type":"start","client_version":"1","workspace":"/","servers":[{"name":"a","command":"b","#
                + #""args":[1],"startup_timeout_sec":1,"tool_timeout_sec":1,"enabled":true}]}"#,
             .badField("args", expected: "")),
            (#"{"v":1,"type":"start","client_version":"1","workspace":"/","servers":[{"name":"a","command":"b","#
                + #""env":{"A":1},"startup_timeout_sec":1,"tool_timeout_sec":1,"enabled":true}]}"#,
             .badField("env", expected: "")),
        ]
        for (line, expected) in cases {
            #expect(Self.kind(of: { () throws(WireError) in _ = try HostWire.decodeRequest(Data(line.utf8)) })
                == Self.kind(expected), "\(line)")
        }
    }

    @Test func eventsAreCheckedAsStrictly() {
        let cases: [(String, WireError)] = [
            (#"{"v":1,"type":"server","name":"a","state":"dancing"}"#, .badField("state", expected: "")),
            (#"{"v":1,"type":"server","name":"a","state":"ready","pid":0}"#, .badField("pid", expected: "")),
            (#"{"v":1,"type":"server","name":"a","state":"ready","pid":4294967296}"#, .badField("pid", expected: "")),
            (#"{"v":1,"type":"server","name":"a","state":"ready","tools":[{"name":"t","read_only":true}]}"#,
             .missingField("input_schema")),
            (#"{"v":1,"type":"result","id":1,"text":"x"}"#, .missingField("is_error")),
            (#"{"v":1,"type":"result","id":1,"text":"x","is_error":"no"}"#, .badField("is_error", expected: "")),
        ]
        for (line, expected) in cases {
            #expect(Self.kind(of: { () throws(WireError) in _ = try HostWire.decodeEvent(Data(line.utf8)) })
                == Self.kind(expected), "\(line)")
        }
    }

    @Test func anotherVersionIsFatalAndSaysSo() throws {
        let line = Data(#"{"v":2,"type":"shutdown"}"#.utf8)
        #expect(throws: WireError.unsupportedVersion(2)) { try HostWire.decodeRequest(line) }
        #expect(throws: WireError.unsupportedVersion(2)) { try HostWire.decodeEvent(line) }
        #expect(WireError.unsupportedVersion(2).isFatal)
        #expect(!WireError.notAnObject.isFatal)
        #expect("\(WireError.unsupportedVersion(2))".contains("agent and agent-mcp must come from the same build"))
    }

    @Test func aLineOverTheLimitIsRefusedBeforeItIsParsed() {
        let line = Data(repeating: UInt8(ascii: " "), count: HostWire.maxLineBytes + 1)
        #expect(throws: WireError.tooLong(bytes: HostWire.maxLineBytes + 1)) { try HostWire.decodeEvent(line) }
    }

    @Test func anInvalidUTF8LineIsNotJSON() {
        let line = Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D])
        #expect(Self.kind(of: { () throws(WireError) in _ = try HostWire.decodeEvent(line) }) == "notJSON")
    }

    /// The case of an error, without its details (the decoder's wording is not ours).
    static func kind(_ error: WireError) -> String {
        switch error {
        case .tooLong: "tooLong"
        case .notJSON: "notJSON"
        case .notAnObject: "notAnObject"
        case .missingVersion: "missingVersion"
        case .unsupportedVersion(let v): "unsupportedVersion(\(v))"
        case .unknownType(let type): "unknownType(\(type))"
        case .missingField(let name): "missingField(\(name))"
        case .badField(let name, _): "badField(\(name))"
        }
    }

    static func kind(of body: () throws(WireError) -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return kind(error)
        }
    }
}
