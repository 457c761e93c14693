import Foundation

/// A file or folder an `@` mention asks to attach, resolved against the workspace.
public struct PlannedAttachment: Sendable, Equatable {
    public var mention: Mention
    public var resolved: ResolvedPath
    public var isDirectory: Bool
}

/// Why a prompt's attachments could not be made; the prompt is then not sent at all, so the
/// model never answers as if it had seen a file it did not get.
public enum AttachmentError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(String)
    case notAFile(String)
    case denied(String, reason: String)
    case unreadable(String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path): "@\(path): no such file or folder"
        case .notAFile(let path): "@\(path): not a regular file (a device, pipe or socket)"
        case .denied(let path, let reason): "@\(path): \(reason)"
        case .unreadable(let path, let reason): "@\(path): \(reason)"
        }
    }
}

/// A prompt with its attachments in the text the model receives.
public struct AttachedPrompt: Sendable, Equatable {
    /// What is sent as the user message.
    public var text: String
    /// What was attached, as shown to the user (`notes.txt`, `/etc/hosts`).
    public var attached: [String]
}

/// Plans and writes `@` attachments: which mentions name files, and how their text is added
/// to the user's message (after the words the user typed, each file in its own block).
public enum Attachments {
    /// The mentions of `text` that name something, in order, each path once.
    /// - Throws: the first mention that looks like a path but names nothing, or names a device.
    public static func plan(_ text: String, workspace: URL) throws(AttachmentError) -> [PlannedAttachment] {
        let paths = WorkspacePaths(workspace: workspace)
        var planned: [PlannedAttachment] = []
        var seen: Set<String> = []
        for mention in Mention.all(in: text) {
            let resolved = paths.resolve(mention.path)
            switch TextFiles.kind(atPath: resolved.path) {
            case .missing:
                if mention.looksLikePath { throw .missing(mention.path) }
                continue
            case .special:
                throw .notAFile(mention.path)
            case .directory, .file:
                guard seen.insert(resolved.path).inserted else { continue }
                planned.append(PlannedAttachment(
                    mention: mention, resolved: resolved, isDirectory: TextFiles.kind(atPath: resolved.path) == .directory))
            }
        }
        return planned
    }

    /// The message text: what the user typed, then one block per attachment.
    public static func compose(_ text: String, contents: [(attachment: PlannedAttachment, text: String)]) -> String {
        guard !contents.isEmpty else { return text }
        var message = text
        for (attachment, body) in contents {
            let tag = attachment.isDirectory ? "directory" : "file"
            message += "\n\n<\(tag) path=\"\(attachment.resolved.display)\">\n" + body
                + (body.hasSuffix("\n") ? "" : "\n") + "</\(tag)>"
        }
        return message
    }
}
