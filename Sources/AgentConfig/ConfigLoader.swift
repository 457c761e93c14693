/// Resolves the effective configuration from every layer.
///
/// Precedence, highest first: flags > `-c` overrides > environment > profile > config file >
/// built-in defaults. Every layer is validated, including profiles that are not selected, so a
/// mistake in the file is reported the first time it is read, not the day the profile is used.
/// The loader reads the config file and nothing else; it never prints.
public struct ConfigLoader: Sendable {
    /// The environment to read, usually `ProcessInfo.processInfo.environment`.
    public var environment: [String: String]

    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// The effective configuration for these flags and `-c` arguments.
    ///
    /// The config file is `flags.configFile` (which must exist) or `Paths.configFile` (which may
    /// be missing).
    /// - Throws: `ConfigError` for a bad file, value, override or profile; its description is
    ///   one line for the user.
    public func load(flags: ConfigFlags = ConfigFlags(), overrides: [String] = []) throws(ConfigError)
        -> ResolvedConfig
    {
        let paths = Paths(environment: environment)
        let explicitFile = flags.configFile.map(paths.expandingTilde)
        let file = try ConfigFile.load(path: explicitFile ?? paths.configFile, required: explicitFile != nil)
        let (overrideAssignments, overrideProfile) = try Self.parseOverrides(overrides)
        let flagAssignments = flags.assignments
        let selection = Self.selectProfile(flags: flags, overrideProfile: overrideProfile, file: file)
        let profileAssignments = try Self.profileAssignments(selection, in: file)
        try Self.validateEveryProfile(in: file)

        let keysSetAbove = Set((overrideAssignments + flagAssignments).map(\.key))
        let environmentAssignments = try EnvironmentLayer.assignments(from: environment, keysSetAbove: keysSetAbove)

        var settings = Settings()
        var sources: [SettingKey: ConfigSource] = [:]
        let layers = (file?.topLevel ?? []) + profileAssignments + environmentAssignments
            + overrideAssignments + flagAssignments
        for assignment in layers { try Self.apply(assignment, to: &settings, sources: &sources) }
        try Self.checkBackoff(settings, sources: sources)
        return resolve(settings: settings, sources: sources, selection: selection, file: file, paths: paths)
    }

    /// The settings with their key, their sources and what the file said beside them.
    private func resolve(
        settings: Settings, sources: [SettingKey: ConfigSource], selection: (name: String, source: ConfigSource)?,
        file: ConfigFile?, paths: Paths
    ) -> ResolvedConfig {
        var warnings = file?.warnings ?? []
        let apiKey = EnvironmentLayer.apiKey(from: environment, apiKeyEnv: settings.apiKeyEnv)
        if apiKey == nil, let variable = settings.apiKeyEnv {
            warnings.append(.apiKeyVariableUnset(variable: variable))
        }
        var resolved = ResolvedConfig(
            settings: settings, sources: sources, apiKey: apiKey?.key,
            apiKeySource: apiKey.map { .environment(variable: $0.variable) },
            profile: selection?.name, profileSource: selection?.source,
            configFile: file?.path, paths: paths, warnings: warnings)
        resolved.mcpServers = (file?.mcpServers ?? []).map { $0.expandingTilde(with: paths) }
        return resolved
    }

    /// The `-c key=value` settings, and the profile a `-c profile=…` selects.
    private static func parseOverrides(_ overrides: [String]) throws(ConfigError)
        -> (assignments: [Assignment], profile: String?)
    {
        var assignments: [Assignment] = []
        var profile: String?
        for argument in overrides {
            switch try OverrideParser.parse(argument) {
            case .setting(let assignment): assignments.append(assignment)
            case .profile(let name): profile = name
            }
        }
        return (assignments, profile)
    }

    /// The selected profile's settings; a name the file does not define is an error that lists
    /// the ones it does.
    private static func profileAssignments(
        _ selection: (name: String, source: ConfigSource)?, in file: ConfigFile?
    ) throws(ConfigError) -> [Assignment] {
        guard let selection else { return [] }
        guard let assignments = file?.profiles[selection.name] else {
            throw .unknownProfile(
                name: selection.name, selectedBy: selection.source.location,
                available: file?.profiles.keys.sorted() ?? [])
        }
        return assignments
    }

    /// Every profile is applied to scratch settings, so a bad value in one not selected today
    /// is reported now.
    private static func validateEveryProfile(in file: ConfigFile?) throws(ConfigError) {
        for (_, assignments) in (file?.profiles ?? [:]).sorted(by: { $0.key < $1.key }) {
            var scratch = Settings()
            var scratchSources: [SettingKey: ConfigSource] = [:]
            for assignment in assignments { try Self.apply(assignment, to: &scratch, sources: &scratchSources) }
        }
    }

    /// The selected profile: `--profile`, else `-c profile=…`, else `profile = "…"` in the file.
    private static func selectProfile(
        flags: ConfigFlags, overrideProfile: String?, file: ConfigFile?
    ) -> (name: String, source: ConfigSource)? {
        if let name = flags.profile { return (name, .flag(name: "--profile")) }
        if let name = overrideProfile { return (name, .override) }
        if let file, let name = file.defaultProfile { return (name, .file(path: file.path)) }
        return nil
    }

    private static func apply(
        _ assignment: Assignment, to settings: inout Settings, sources: inout [SettingKey: ConfigSource]
    ) throws(ConfigError) {
        do {
            try assignment.key.assign(assignment.value, to: &settings)
        } catch {
            throw .invalidValue(
                key: assignment.writtenKey, location: assignment.source.location, expected: error.expected,
                got: assignment.value.shown)
        }
        sources[assignment.key] = assignment.source
    }

    /// `retry.backoff_max` must not be below `retry.backoff_base`; the key set by the later
    /// layer is blamed, since that is the one the user just changed.
    private static func checkBackoff(_ settings: Settings, sources: [SettingKey: ConfigSource]) throws(ConfigError) {
        let retry = settings.retry
        guard retry.backoffMax < retry.backoffBase else { return }
        let maxSource = sources[.retryBackoffMax] ?? .builtIn
        let baseSource = sources[.retryBackoffBase] ?? .builtIn
        if maxSource.rank >= baseSource.rank {
            throw .invalidValue(
                key: SettingKey.retryBackoffMax.rawValue, location: maxSource.location,
                expected: "a number of seconds >= retry.backoff_base (\(ConfigValue.number(retry.backoffBase)))",
                got: ConfigValue.number(retry.backoffMax))
        }
        throw .invalidValue(
            key: SettingKey.retryBackoffBase.rawValue, location: baseSource.location,
            expected: "a number of seconds <= retry.backoff_max (\(ConfigValue.number(retry.backoffMax)))",
            got: ConfigValue.number(retry.backoffBase))
    }
}

extension ConfigSource {
    /// Position in the precedence order; higher wins.
    fileprivate var rank: Int {
        switch self {
        case .builtIn: 0
        case .file: 1
        case .profile: 2
        case .environment: 3
        case .override: 4
        case .flag: 5
        }
    }
}
