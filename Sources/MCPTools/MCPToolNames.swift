/// How an MCP tool is named to the model: `SERVER__TOOL`, as Codex and Claude Code spell it
/// (they add an `mcp__` prefix; agent does not, to spare small models the tokens).
///
/// OpenAI-style servers accept function names of 1 to 64 characters from `[A-Za-z0-9_-]`, so
/// any other character becomes `_`. A name that is too long, or that another tool already has
/// (a built-in, or two servers whose names sanitise alike), is cut and given a short hash of
/// the original server and tool names, which is stable from run to run (so a server's prompt
/// cache stays warm) and unique in practice; a counter settles the rare collision left.
enum MCPToolNames {
    static let delimiter = "__"
    static let maxLength = 64

    static func sanitized(_ text: String) -> String {
        let scalars = text.unicodeScalars.map { scalar -> Character in
            let allowed = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            return allowed ? Character(scalar) : "_"
        }
        return scalars.isEmpty ? "_" : String(scalars)
    }

    /// A unique name for `tool` of `server`, added to `taken`.
    static func qualified(server: String, tool: String, taken: inout Set<String>) -> String {
        let plain = sanitized(server) + delimiter + sanitized(tool)
        if plain.count <= maxLength, taken.insert(plain).inserted { return plain }
        let suffix = "_" + hash(server + "/" + tool)
        var candidate = String(plain.prefix(maxLength - suffix.count)) + suffix
        var counter = 2
        while !taken.insert(candidate).inserted {
            let extra = "_\(counter)"
            candidate = String(plain.prefix(maxLength - suffix.count - extra.count)) + suffix + extra
            counter += 1
        }
        return candidate
    }

    /// 8 hex digits of FNV-1a: stable across runs and platforms, unlike `Hasher`.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 16_777_619
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
