/// Every run of backticks in a prompt, for finding the run that closes an inline code span
/// without searching the text again.
///
/// A span opened by `n` backticks ends at the next place with `n` backticks in a row, which is
/// the start of the next run at least `n` long. Searching the text for it at each span made a
/// prompt full of unclosed runs quadratic (a 120 MB paste took minutes); with the runs listed
/// once and the longest run from each one on, a span that does not close costs a binary search,
/// and one that does costs the runs it jumps over, which the scan then never visits again.
struct BacktickRuns {
    private var starts: [String.Index] = []
    private var lengths: [Int] = []
    /// `longestFrom[i]`: the longest of runs `i...`.
    private var longestFrom: [Int] = []

    init(_ text: String) {
        // Over the UTF-8 bytes: a pass over Characters, as the scan makes, took seconds for a
        // large paste. A backtick byte counts only where it is a whole Character, as the scan
        // sees it (not after a prepended mark, nor before a combining one).
        let utf8 = text.utf8
        var index = utf8.startIndex
        var length = 0
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "`"), index.samePosition(in: text) != nil, text[index] == "`" {
                if length == 0 { starts.append(index) }
                length += 1
            } else if length > 0 {
                lengths.append(length)
                length = 0
            }
            index = utf8.index(after: index)
        }
        if length > 0 { lengths.append(length) }
        longestFrom = lengths
        for i in lengths.indices.reversed().dropFirst() { longestFrom[i] = max(lengths[i], longestFrom[i + 1]) }
    }

    /// Where the span of `length` backticks, opened before `index`, ends (after its closing
    /// backticks); nil when no later run closes it, so its backticks are literal.
    func close(after index: String.Index, length: Int, in text: String) -> String.Index? {
        var i = firstRun(atOrAfter: index)
        guard i < starts.count, longestFrom[i] >= length else { return nil }
        while lengths[i] < length { i += 1 }
        return text.index(starts[i], offsetBy: length)
    }

    /// A binary search: runs are in text order.
    private func firstRun(atOrAfter index: String.Index) -> Int {
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] < index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
