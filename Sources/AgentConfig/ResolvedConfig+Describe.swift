/// The text of `agent config`: every effective key and where it came from.
extension ResolvedConfig {
    /// Lines shaped like the config file (`key = value` under `[table]` headers), each followed
    /// by its source. Unset optional keys show what applies instead (the default sessions
    /// directory shows its effective path); the API key is masked.
    ///
    /// Invariant: the API key never appears in full; see `maskedAPIKey`.
    public func describe() -> String {
        var rows: [(text: String, source: String)?] = []
        rows.append(("# config file: " + (configFile ?? "\(paths.configFile) (not found)"), ""))
        if let profile, let profileSource {
            rows.append(("# profile: \(profile) (selected by \(profileSource))", ""))
        }
        var currentTable: String?
        for key in SettingKey.allCases {
            if key.table != currentTable, let table = key.table {
                rows.append(nil)
                rows.append(("[\(table)]", ""))
                currentTable = table
            }
            let name = key.table.map { String(key.rawValue.dropFirst($0.count + 1)) } ?? key.rawValue
            let value: String
            if key == .sessionsDir, settings.sessions.dir == nil {
                value = ConfigValue.quoted(sessionsDirectory)
            } else {
                value = key.rendered(in: settings) ?? key.unsetMeaning
            }
            rows.append(("\(name) = \(value)", "# " + source(of: key).description))
            if key == .apiKeyEnv {
                rows.append(("api_key = \(maskedAPIKey)", "# " + (apiKeySource?.description ?? "no key found")))
            }
        }
        rows += mcpServerRows()
        // Sources line up in one column; a long value (a deep path) only pushes its own row.
        let width = rows.compactMap { $0 }.filter { !$0.source.isEmpty && $0.text.count <= Self.sourceColumn }
            .map(\.text.count).max() ?? 0
        return rows.map { row in
            guard let row else { return "" }
            if row.source.isEmpty { return row.text }
            return row.text.padding(toLength: width) + "  " + row.source
        }.joined(separator: "\n") + "\n"
    }

    /// One table per MCP server. Values of `env` are hidden: they often hold tokens.
    private func mcpServerRows() -> [(text: String, source: String)?] {
        var rows: [(text: String, source: String)?] = []
        let source = "# " + (configFile.map { ConfigSource.file(path: $0).description } ?? "file")
        for server in mcpServers {
            rows.append(nil)
            rows.append(("[mcp_servers.\(server.name)]", ""))
            rows.append(("command = \(ConfigValue.quoted(server.command))", source))
            if !server.args.isEmpty {
                rows.append(("args = [" + server.args.map(ConfigValue.quoted).joined(separator: ", ") + "]", source))
            }
            if !server.env.isEmpty {
                let keys = server.env.keys.sorted().map { "\($0) = (hidden)" }.joined(separator: ", ")
                rows.append(("env = { \(keys) }", source))
            }
            if let cwd = server.cwd { rows.append(("cwd = \(ConfigValue.quoted(cwd))", source)) }
            rows.append(("startup_timeout_sec = \(ConfigValue.number(server.startupTimeout))", source))
            rows.append(("tool_timeout_sec = \(ConfigValue.number(server.toolTimeout))", source))
            rows.append(("enabled = \(server.enabled)", source))
        }
        return rows
    }

    /// Rows longer than this do not widen the source column.
    static let sourceColumn = 48

    /// The API key with all but its last four characters hidden: `sk-…abcd`. A short alphabetic
    /// prefix ending in `-` or `_` (`sk-`, `gsk_`) is kept because it only names the provider.
    /// Keys shorter than 12 characters show no characters at all.
    public var maskedAPIKey: String {
        guard let apiKey else { return "(not set)" }
        guard apiKey.count >= 12 else { return "(set, hidden)" }
        var prefix = ""
        if let separator = apiKey.prefix(5).firstIndex(where: { $0 == "-" || $0 == "_" }),
            apiKey[..<separator].allSatisfy({ $0.isLetter })
        {
            prefix = String(apiKey[...separator])
        }
        return prefix + "…" + apiKey.suffix(4)
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
