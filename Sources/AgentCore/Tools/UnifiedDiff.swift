/// Line-based unified diffs, in the format of `diff -u`, for approval previews.
///
/// Invariant: applying the returned diff to `old` (e.g. with `patch`) yields exactly `new`,
/// including a missing final newline on either side.
public enum UnifiedDiff {
    /// Past this many edits the Myers search (whose memory grows with the square of the edit
    /// count) gives up and the changed middle is shown as one block removed and one added:
    /// still a correct diff, only not the shortest.
    static let maxEdits = 1_000

    enum Operation: Equatable {
        case equal, delete, insert
    }

    /// The diff of `old` against `new` with `context` unchanged lines around each change, headed
    /// by `--- oldName` and `+++ newName`; empty when the texts are equal.
    public static func diff(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let oldBytes = Array(old.utf8)
        let newBytes = Array(new.utf8)
        let oldLines = lines(oldBytes)
        let newLines = lines(newBytes)
        let operations = editScript(oldLines, newLines)
        guard operations.contains(where: { $0 != .equal }) else { return "" }

        var output = Array("--- \(oldName)\n+++ \(newName)\n".utf8)
        for hunk in hunks(operations, context: max(0, context)) {
            appendHunk(hunk, of: operations, oldLines: oldLines, newLines: newLines, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Lines with their terminating "\n" kept, so a last line without one differs from the same
    /// line with one, exactly as on disk.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            lines.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// The operations turning `old` into `new`: every old line is consumed by one `.equal` or
    /// `.delete`, every new line by one `.equal` or `.insert`, in order.
    static func editScript(_ old: [ArraySlice<UInt8>], _ new: [ArraySlice<UInt8>]) -> [Operation] {
        // Compare small integers instead of byte strings in the inner loop.
        var ids: [ArraySlice<UInt8>: Int] = [:]
        func id(_ line: ArraySlice<UInt8>) -> Int {
            if let known = ids[line] { return known }
            ids[line] = ids.count
            return ids.count - 1
        }
        let a = old.map(id)
        let b = new.map(id)

        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        let middleA = Array(a[prefix..<(a.count - suffix)])
        let middleB = Array(b[prefix..<(b.count - suffix)])
        let middle =
            myers(middleA, middleB)
            ?? Array(repeating: .delete, count: middleA.count) + Array(repeating: .insert, count: middleB.count)
        return Array(repeating: .equal, count: prefix) + middle + Array(repeating: .equal, count: suffix)
    }

    /// Myers' O((N+M)·D) shortest edit script; nil when it needs more than `maxEdits` edits.
    static func myers(_ a: [Int], _ b: [Int]) -> [Operation]? {
        let n = a.count
        let m = b.count
        let limit = min(n + m, maxEdits)
        let offset = limit + 1
        // v[k + offset] is the furthest x reached on diagonal k = x - y.
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d] is v on diagonals -d-1...d+1 before round d, for walking back.
        var trace: [[Int]] = []
        for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    return backtrack(trace, n: n, m: m)
                }
            }
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], n: Int, m: Int) -> [Operation] {
        var reversed: [Operation] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let at = { (k: Int) in v[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                reversed.append(.equal)
                x -= 1
                y -= 1
            }
            if d > 0 {
                reversed.append(x == previousX ? .insert : .delete)
            }
            x = previousX
            y = previousY
        }
        return reversed.reversed()
    }

    /// Ranges of `operations` to print: each change with `context` equal lines around it,
    /// merging changes whose gap is small enough that their contexts would touch.
    static func hunks(_ operations: [Operation], context: Int) -> [Range<Int>] {
        let changes = operations.indices.filter { operations[$0] != .equal }
        guard let first = changes.first else { return [] }
        var result: [Range<Int>] = []
        var start = max(0, first - context)
        var lastChange = first
        for change in changes.dropFirst() {
            if change - lastChange - 1 > 2 * context {
                result.append(start..<min(operations.count, lastChange + 1 + context))
                start = change - context
            }
            lastChange = change
        }
        result.append(start..<min(operations.count, lastChange + 1 + context))
        return result
    }

    private static func appendHunk(
        _ hunk: Range<Int>, of operations: [Operation], oldLines: [ArraySlice<UInt8>], newLines: [ArraySlice<UInt8>],
        to output: inout [UInt8]
    ) {
        var oldIndex = operations[..<hunk.lowerBound].count { $0 != .insert }
        var newIndex = operations[..<hunk.lowerBound].count { $0 != .delete }
        let oldCount = operations[hunk].count { $0 != .insert }
        let newCount = operations[hunk].count { $0 != .delete }
        output += Array("@@ -\(range(oldIndex, oldCount)) +\(range(newIndex, newCount)) @@\n".utf8)
        for operation in operations[hunk] {
            switch operation {
            case .equal:
                appendLine(" ", oldLines[oldIndex], to: &output)
                oldIndex += 1
                newIndex += 1
            case .delete:
                appendLine("-", oldLines[oldIndex], to: &output)
                oldIndex += 1
            case .insert:
                appendLine("+", newLines[newIndex], to: &output)
                newIndex += 1
            }
        }
    }

    /// GNU's notation: "start,count" with 1-based start, "start" alone when count is 1, and the
    /// line before the hunk as start when the count is 0.
    static func range(_ linesBefore: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(linesBefore),0"
        case 1: "\(linesBefore + 1)"
        default: "\(linesBefore + 1),\(count)"
        }
    }

    private static func appendLine(_ marker: Character, _ line: ArraySlice<UInt8>, to output: inout [UInt8]) {
        output.append(contentsOf: marker.utf8)
        output.append(contentsOf: line)
        if line.last != UInt8(ascii: "\n") {
            output.append(contentsOf: "\n\\ No newline at end of file\n".utf8)
        }
    }
}
