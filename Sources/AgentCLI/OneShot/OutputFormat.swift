import ArgumentParser

/// What `-p` prints: the answer as text, one JSON object at the end, or one JSON event per line.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
    case streamJSON = "stream-json"
}
