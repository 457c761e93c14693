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
    ///
    /// Each different path is looked up once, and at most `maxLookups` of them: a pasted log
    /// with millions of `@name`s took minutes of `stat` calls before. Mentions past that many
    /// different paths stay plain text.
    public static func plan(_ text: String, workspace: URL) throws(AttachmentError) -> [PlannedAttachment] {
        let paths = WorkspacePaths(workspace: workspace)
        var planned: [PlannedAttachment] = []
        var seen: Set<String> = []
        var looked: [String: (ResolvedPath, TextFiles.Kind)] = [:]
        for mention in Mention.all(in: text) {
            guard let (resolved, kind) = looked[mention.path] ?? lookUp(mention.path, paths, &looked) else { continue }
            switch kind {
            case .missing:
                if mention.looksLikePath { throw .missing(mention.path) }
                continue
            case .special:
                throw .notAFile(mention.path)
            case .directory, .file:
                guard seen.insert(resolved.path).inserted else { continue }
                planned.append(PlannedAttachment(mention: mention, resolved: resolved, isDirectory: kind == .directory))
            }
        }
        return planned
    }

    /// Different mention paths looked up in one prompt, at most.
    static let maxLookups = 1_000

    /// What `path` names, remembered; nil once `maxLookups` paths have been looked up.
    private static func lookUp(
        _ path: String, _ paths: WorkspacePaths, _ looked: inout [String: (ResolvedPath, TextFiles.Kind)]
    ) -> (ResolvedPath, TextFiles.Kind)? {
        guard looked.count < maxLookups else { return nil }
        let resolved = paths.resolve(path)
        let found = (resolved, TextFiles.kind(atPath: resolved.path))
        looked[path] = found
        return found
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
