import AgentProtocol
import Foundation

/// Where and how tools run for one agent session.
public struct ToolContext: Sendable {
    /// The directory agent started in; file tools stay inside it unless a call was approved.
    public var workspace: URL
    /// Set for a single call after the user approved touching a path outside the workspace.
    public var allowOutsideWorkspace: Bool
    /// Default timeout of `run_shell` when the model gives none.
    public var shellTimeout: Duration
    /// Variables a child process must not inherit, and texts masked in every result.
    public var secrets: Secrets

    public init(
        workspace: URL, allowOutsideWorkspace: Bool = false, shellTimeout: Duration = .seconds(120),
        secrets: Secrets = Secrets()
    ) {
        self.workspace = workspace
        self.allowOutsideWorkspace = allowOutsideWorkspace
        self.shellTimeout = shellTimeout
        self.secrets = secrets
    }
}

/// What a call would do, worked out before it runs, so the approval policy can decide and the
/// user can see the command or the diff before saying yes.
public struct ToolPlan: Sendable, Equatable {
    /// One line for the approval prompt and the transcript, e.g. "edit_file src/main.swift".
    public var summary: String
    /// The command to run or a unified diff of the edit; nil when there is nothing more to show.
    public var preview: String?
    /// Resolved paths outside the workspace that the call would touch.
    public var outsidePaths: [String]
    /// The canonical paths a changing call may change, when the tool knows them (the file tools);
    /// nil when it may change anything (a shell command, an MCP tool), so a checkpoint takes the
    /// whole workspace.
    public var changedPaths: [String]?

    public init(summary: String, preview: String? = nil, outsidePaths: [String] = [], changedPaths: [String]? = nil) {
        self.summary = summary
        self.preview = preview
        self.outsidePaths = outsidePaths
        self.changedPaths = changedPaths
    }
}

/// A tool the model can call. A tool error is thrown as `ToolError` and goes back to the model as
/// the tool's result; it never ends the turn.
public protocol Tool: Sendable {
    var spec: ToolSpec { get }
    /// Changes files or runs commands: needs approval in `ask` mode and is denied in `read-only`.
    var isMutating: Bool { get }
    /// Its changes may land beyond the workspace in ways agent cannot see: an MCP tool whose
    /// server does not declare it `openWorldHint: false` (it may post, send, deploy…). In `auto`
    /// a changing call of it asks, as a path outside the workspace does; false for built-ins.
    var mayActOutsideWorkspace: Bool { get }
    /// Validates the arguments and describes the call without side effects.
    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan
    /// Runs the call; the returned text is what the model sees. Must stop promptly when its task
    /// is cancelled (a shell tool kills its whole process group).
    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String
}

extension Tool {
    public var mayActOutsideWorkspace: Bool { false }
}

/// A failure that the model is told about, in a sentence it can act on.
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The decoded JSON object of a call's arguments, with typed accessors whose errors name the key.
public struct ToolArguments: Sendable, Equatable {
    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    /// Decodes the raw text a model sent. Some local models send an empty string for "no arguments".
    public init(json text: String) throws(ToolError) {
        let trimmed = text.trimmedWhitespace()
        if trimmed.isEmpty {
            self.values = [:]
            return
        }
        guard let value = JSONValue.parse(trimmed) else {
            throw ToolError("arguments are not valid JSON: \(trimmed.prefix(200))")
        }
        guard case .object(let object) = value else {
            throw ToolError("arguments must be a JSON object, got: \(trimmed.prefix(200))")
        }
        self.values = object
    }

    public func string(_ key: String) throws(ToolError) -> String {
        guard let value = values[key], value != .null else { throw ToolError("missing required argument '\(key)'") }
        guard case .string(let s) = value else { throw ToolError("argument '\(key)' must be a string") }
        return s
    }

    public func optionalString(_ key: String) throws(ToolError) -> String? {
        guard let value = values[key], value != .null else { return nil }
        guard case .string(let s) = value else { throw ToolError("argument '\(key)' must be a string") }
        return s
    }

    public func optionalInt(_ key: String) throws(ToolError) -> Int? {
        guard let value = values[key], value != .null else { return nil }
        switch value {
        case .number(let n) where n.rounded() == n && abs(n) < 1e15: return Int(n)
        // Small models often quote numbers.
        case .string(let s): if let n = Int(s.trimmingCharacters(in: .whitespaces)) { return n }
        default: break
        }
        throw ToolError("argument '\(key)' must be an integer")
    }

    public func optionalBool(_ key: String) throws(ToolError) -> Bool? {
        guard let value = values[key], value != .null else { return nil }
        switch value {
        case .bool(let b): return b
        case .string(let s) where s == "true" || s == "false": return s == "true"
        default: throw ToolError("argument '\(key)' must be true or false")
        }
    }
}
