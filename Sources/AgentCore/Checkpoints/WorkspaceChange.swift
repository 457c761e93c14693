/// One path that differs between two snapshots of the workspace.
public struct WorkspaceChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The path did not exist before.
        case added
        /// The content, the mode or the type (file, symlink) changed.
        case modified
        /// The path existed before and does not any more.
        case deleted
    }

    /// Relative to the workspace, "/"-separated.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// Parses `git diff-tree -r -z --no-renames --name-status` output: `STATUS\0PATH\0`…
    static func parse(nameStatus bytes: [UInt8]) -> [WorkspaceChange] {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var changes: [WorkspaceChange] = []
        var index = 0
        while index + 1 < fields.count {
            let status = fields[index]
            let path = fields[index + 1]
            index += 2
            let kind: Kind
            switch status.first {
            case "A": kind = .added
            case "D": kind = .deleted
            default: kind = .modified
            }
            changes.append(WorkspaceChange(path: path, kind: kind))
        }
        return changes
    }
}
