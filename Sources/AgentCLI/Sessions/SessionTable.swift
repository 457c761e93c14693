import AgentCore
import Foundation

/// The table `agent sessions list` and `/session list` print.
enum SessionTable {
    static func render(_ sessions: some Collection<SessionSummary>, style: Style) -> String {
        guard !sessions.isEmpty else { return "No saved sessions." }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var lines = [style.dim("ID                      UPDATED           MSGS  TITLE / DIRECTORY")]
        for s in sessions {
            let id = s.id.padding(toLength: 22, withPad: " ", startingAt: 0)
            let count = String(s.messageCount).padding(toLength: 4, withPad: " ", startingAt: 0)
            lines.append("\(id)  \(formatter.string(from: s.updated))  \(count)  \(s.title ?? "-")  \(style.dim(s.workingDirectory.path))")
        }
        return lines.joined(separator: "\n")
    }
}
