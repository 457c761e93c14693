import Foundation

/// What must stay secret from the tools, the model and the session journal: the environment
/// variables that hold credentials, and the texts (the API key first) that are masked wherever
/// they would appear in the conversation.
///
/// A variable is secret when it is named explicitly (the configured `api_key_env`,
/// `AGENT_API_KEY`, `OPENAI_API_KEY`) or when its name, in upper case, ends with one of
/// `secretSuffixes` (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`, …).
///
/// Invariant: `redact` leaves no occurrence of any value in `values`, and `values` holds only
/// texts of at least `minimumValueLength` characters (shorter ones would mask ordinary words).
public struct Secrets: Sendable, Equatable {
    /// Name endings that mark a variable as a credential.
    public static let secretSuffixes = [
        "API_KEY", "APIKEY", "_TOKEN", "_SECRET", "_SECRET_KEY", "_ACCESS_KEY", "_PASSWORD", "_PASSWD",
        "_CREDENTIALS",
    ]
    /// Always secret, whatever the configuration says.
    public static let alwaysSecret: Set<String> = ["AGENT_API_KEY", "OPENAI_API_KEY"]
    public static let minimumValueLength = 8
    /// What a masked secret reads as.
    public static let mask = "[redacted secret]"

    /// Names secret in addition to the pattern.
    public private(set) var names: Set<String>
    /// The texts to mask, longest first (so a key that contains another is masked whole).
    public private(set) var values: [String]

    /// No secrets: nothing is removed or masked.
    public init() {
        names = []
        values = []
    }

    /// - Parameters:
    ///   - names: variables secret by configuration (the `api_key_env` name), besides the
    ///     pattern and `alwaysSecret`.
    ///   - knownValues: secrets that may not be in the environment (the resolved API key).
    ///   - environment: the process environment; the values of its secret variables are masked.
    public init(names: [String], knownValues: [String], environment: [String: String]) {
        self.names = Self.alwaysSecret.union(names)
        var found = Set(knownValues.filter { $0.count >= Self.minimumValueLength })
        for (name, value) in environment where Self.isSecret(name, extra: self.names) {
            if value.count >= Self.minimumValueLength { found.insert(value) }
        }
        values = found.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    public var isEmpty: Bool { values.isEmpty && names.isEmpty }

    /// Whether the variable `name` holds a secret.
    public func isSecretVariable(_ name: String) -> Bool { Self.isSecret(name, extra: names) }

    /// The names in `environment` that a child process must not inherit.
    public func variablesToRemove(from environment: [String: String]) -> [String] {
        environment.keys.filter(isSecretVariable).sorted()
    }

    /// `text` with every secret value replaced by `mask`.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: Self.mask)
        }
        return result
    }

    private static func isSecret(_ name: String, extra: Set<String>) -> Bool {
        if extra.contains(name) { return true }
        let upper = name.uppercased()
        return secretSuffixes.contains { upper.hasSuffix($0) }
    }
}
