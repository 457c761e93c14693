// A small MCP server over stdio for the tests, speaking JSON-RPC by hand so each fault is
// easy to script:
//   (no flag)             answers initialize, tools/list and tools/call (tools below)
//   --hang                reads its input and never answers
//   --exit-at-start CODE  writes a line to stderr and exits with CODE
//   --pid-file PATH       writes its pid there first
//   --child-pid-file PATH starts `sleep 600` (in its process group) and writes that pid there
//   --cancel-log PATH     appends each notifications/cancelled it gets
//   --stubborn            ignores SIGTERM and the end of its input: only SIGKILL ends it
// Tools: echo (read-only), slow (read-only; sleeps `seconds`), image (read-only), env
// (read-only; its environment), big (read-only; 100,000 bytes), fail (read-only; isError),
// touch (mutating, declared local with openWorldHint false; creates `path`), post (mutating,
// with no openWorldHint, so it may act outside the workspace; creates `path` too).
import AgentProtocol
import Foundation

let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

if let path = option("--pid-file") {
    try? "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
}
if let path = option("--child-pid-file") {
    // posix_spawn without attributes: the child stays in this process's group, as the helper
    // processes of a real server do (Foundation's Process may give it a group of its own).
    var child: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("600"), nil]
    _ = posix_spawn(&child, "/bin/sleep", nil, nil, argv, environ)
    try? "\(child)\n".write(toFile: path, atomically: true, encoding: .utf8)
}
if let code = option("--exit-at-start").flatMap(Int32.init) {
    FileHandle.standardError.write(Data("fixture: exiting at start as asked\n".utf8))
    exit(code)
}
let hang = arguments.contains("--hang")
let stubborn = arguments.contains("--stubborn")
if stubborn { signal(SIGTERM, SIG_IGN) }
let cancelLog = option("--cancel-log")

let output = DispatchQueue(label: "fixture.output")
func send(_ value: JSONValue) {
    output.sync { FileHandle.standardOutput.write(Data((value.jsonText + "\n").utf8)) }
}
func reply(_ id: JSONValue, _ result: JSONValue) {
    send(["jsonrpc": "2.0", "id": id, "result": result])
}

func tool(_ name: String, _ description: String, readOnly: Bool, openWorld: Bool? = nil,
          properties: JSONValue = [:]) -> JSONValue {
    var annotations: [String: JSONValue] = ["readOnlyHint": .bool(readOnly)]
    if let openWorld { annotations["openWorldHint"] = .bool(openWorld) }
    return ["name": .string(name), "description": .string(description),
            "inputSchema": ["type": "object", "properties": properties], "annotations": .object(annotations)]
}
let tools: JSONValue = [
    tool("echo", "Echo the message back", readOnly: true, properties: ["message": ["type": "string"]]),
    tool("slow", "Answer after some seconds", readOnly: true, properties: ["seconds": ["type": "number"]]),
    tool("image", "Return a picture", readOnly: true),
    tool("env", "Return the environment", readOnly: true),
    tool("big", "Return 100,000 bytes", readOnly: true),
    tool("fail", "Always fail", readOnly: true),
    tool("touch", "Create a file", readOnly: false, openWorld: false, properties: ["path": ["type": "string"]]),
    tool("post", "Post a message somewhere", readOnly: false, properties: ["path": ["type": "string"]]),
]

func text(_ string: String, isError: Bool = false) -> JSONValue {
    ["content": [["type": "text", "text": .string(string)]], "isError": .bool(isError)]
}

func call(_ id: JSONValue, _ params: [String: JSONValue]) {
    let args = params["arguments"]?.objectValue ?? [:]
    switch params["name"]?.stringValue ?? "" {
    case "echo": reply(id, text("echo: " + (args["message"]?.stringValue ?? "")))
    case "slow":
        var wait = 1.0
        if case .number(let n)? = args["seconds"] { wait = n }
        let seconds = wait
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { reply(id, text("slept \(seconds) s")) }
    case "image":
        reply(id, ["content": [["type": "text", "text": "a red dot:"],
                               ["type": "image", "data": .string(Data(count: 3000).base64EncodedString()),
                                "mimeType": "image/png"]]])
    case "env":
        let env = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }.sorted()
        reply(id, text(env.joined(separator: "\n")))
    case "big": reply(id, text(String(repeating: "0123456789", count: 10_000)))
    case "fail": reply(id, text("it broke", isError: true))
    case "touch", "post":
        let path = args["path"]?.stringValue ?? "touched"
        _ = FileManager.default.createFile(atPath: path, contents: Data("touched\n".utf8))
        reply(id, text("created \(path)"))
    default:
        send(["jsonrpc": "2.0", "id": id, "error": ["code": -32602, "message": "unknown tool"]])
    }
}

while let line = readLine(strippingNewline: true) {
    guard !hang, let message = JSONValue.parse(line)?.objectValue else { continue }
    let method = message["method"]?.stringValue ?? ""
    let id = message["id"] ?? .null
    let params = message["params"]?.objectValue ?? [:]
    switch method {
    case "initialize":
        reply(id, ["protocolVersion": params["protocolVersion"] ?? "2025-06-18",
                   "capabilities": ["tools": [:]], "serverInfo": ["name": "fixture", "version": "1"]])
    case "tools/list": reply(id, ["tools": tools])
    case "tools/call": call(id, params)
    case "ping": reply(id, [:])
    case "notifications/cancelled":
        if let cancelLog, let handle = FileHandle(forWritingAtPath: cancelLog) ?? {
            _ = FileManager.default.createFile(atPath: cancelLog, contents: nil)
            return FileHandle(forWritingAtPath: cancelLog)
        }() {
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try? handle.close()
        }
    default:
        if id != .null { send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "no such method"]]) }
    }
}
// Its input has ended; a stubborn server stays until it is killed.
while stubborn { pause() }
