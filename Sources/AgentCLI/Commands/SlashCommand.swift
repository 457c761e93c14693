import AgentCore

/// The REPL's slash commands: parsing, help text, and a suggestion for a mistyped one.
enum SlashCommand: Equatable {
    case help
    case exit
    case clear
    case model(String?)
    case tools
    case approval(String?)
    case save(title: String?)
    case session
    case sessionList
    case sessionLoad(String)
    case sessionNew
    /// What is in the prompt, with token estimates.
    case context
    /// Summarise the conversation so far, optionally steered by a focus text.
    case compact(focus: String?)
    /// Ask the model to write an AGENTS.md for the project.
    case initProject
    /// The MCP servers, their state and tools.
    case mcp
    /// A command from a markdown file (`.agent/commands/NAME.md`), with what followed its name.
    case custom(name: String, arguments: String)
    case undo
    case diff
    case unknown(name: String, suggestion: String?)
    case usage(String)

    static let helpLines: [(String, String)] = [
        ("/help", "show this list"),
        ("/exit, /quit", "leave agent (Ctrl-D does too)"),
        ("/clear", "start a fresh conversation (a new session)"),
        ("/model [name]", "show the model, or switch to another"),
        ("/tools", "list the tools and the approval mode"),
        ("/approval [ask|auto|read-only|full]", "show or change when tools need your consent"),
        ("/undo", "put back the files the last turn changed (again: the turn before)"),
        ("/diff", "show what the last turn changed in the files"),
        ("/save [title]", "save the session now, optionally with a title"),
        ("/session", "id, title, file, message count and estimated tokens"),
        ("/session list", "list saved sessions"),
        ("/session load <id>", "switch to a saved session"),
        ("/session new", "start a new session"),
        ("/context", "what the model is given: system prompt, AGENTS.md files, tools, with token counts"),
        ("/compact [focus]", "replace the older turns with a summary the model writes (the session file keeps them)"),
        ("/init", "ask the model to write an AGENTS.md for this project (you approve the write)"),
        ("/mcp", "MCP servers: state, tools, log file"),
    ]

    static let names = ["/help", "/exit", "/quit", "/clear", "/model", "/tools", "/approval", "/save", "/session",
                        "/context", "/compact", "/init", "/mcp", "/undo", "/diff"]

    /// Every name a built-in answers to, aliases included, without the slash: custom command
    /// files cannot take them.
    static let builtInNames: Set<String> = [
        "help", "?", "exit", "quit", "bye", "clear", "new", "model", "tools", "approval", "save", "session",
        "sessions", "context", "compact", "init", "mcp", "undo", "diff",
    ]

    /// Parses a line starting with "/", trying the built-ins first and then `custom`.
    static func parse(_ line: String, custom: CustomCommands) -> SlashCommand? {
        guard let command = parse(line) else { return nil }
        guard case .unknown(let name, _) = command, let file = custom.command(named: name) else { return command }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let rest = trimmed.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return .custom(name: file.name, arguments: rest.trimmingCharacters(in: .whitespaces))
    }

    /// Parses a line starting with "/"; nil when the line is not a command.
    static func parse(_ line: String) -> SlashCommand? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else { return nil }
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        let name = parts[0].lowercased()
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        let argument: String? = rest.isEmpty ? nil : rest
        switch name {
        case "/help", "/?": return .help
        case "/exit", "/quit", "/bye": return .exit
        case "/clear", "/new": return .clear
        case "/model": return .model(argument)
        case "/tools": return .tools
        case "/approval": return .approval(argument)
        case "/context": return .context
        case "/compact": return .compact(focus: argument)
        case "/init": return .initProject
        case "/mcp": return .mcp
        case "/save": return .save(title: argument)
        case "/undo": return .undo
        case "/diff": return .diff
        case "/session", "/sessions":
            let words = rest.split(separator: " ", maxSplits: 1).map(String.init)
            switch words.first {
            case nil: return .session
            case "list": return .sessionList
            case "new": return .sessionNew
            case "load":
                guard words.count > 1 else { return .usage("usage: /session load <id or prefix>") }
                return .sessionLoad(words[1].trimmingCharacters(in: .whitespaces))
            default: return .usage("usage: /session [list | load <id> | new]")
            }
        default:
            return .unknown(name: name, suggestion: nearest(to: name))
        }
    }

    static func nearest(to name: String) -> String? {
        let scored = names.map { ($0, editDistance($0, name)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= max(2, name.count / 2) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
