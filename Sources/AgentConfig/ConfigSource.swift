/// The layer an effective value came from, lowest precedence first.
///
/// Precedence: `flag` > `override` (`-c`) > `environment` > `profile` > `file` > `builtIn`.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// The built-in default.
    case builtIn
    /// The top level of the config file at `path`.
    case file(path: String)
    /// `[profiles.name]` in the config file at `path`.
    case profile(name: String, path: String)
    /// The environment variable `variable`.
    case environment(variable: String)
    /// A `-c key=value` argument.
    case override
    /// A command-line flag such as `--model`.
    case flag(name: String)

    /// Short text for `agent config`: `default`, `file /path`, `profile openai`, `env OLLAMA_HOST`,
    /// `-c override`, `flag --model`.
    public var description: String {
        switch self {
        case .builtIn: "default"
        case .file(let path): "file \(path)"
        case .profile(let name, _): "profile \(name)"
        case .environment(let variable): "env \(variable)"
        case .override: "-c override"
        case .flag(let name): "flag \(name)"
        }
    }

    /// Where a bad value was written, as error messages name it: a file path, an environment
    /// variable, `-c override` or the flag.
    var location: String {
        switch self {
        case .builtIn: "the built-in defaults"
        case .file(let path), .profile(_, let path): path
        case .environment(let variable): variable
        case .override: "-c override"
        case .flag(let name): name
        }
    }
}
