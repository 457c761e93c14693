import Testing

@testable import AgentCore

@Suite struct UnifiedDiffTests {
    func diff(_ old: String, _ new: String) -> String {
        UnifiedDiff.diff(old: old, new: new, oldName: "f", newName: "f")
    }

    @Test func equalTextsHaveAnEmptyDiff() {
        #expect(diff("", "") == "")
        #expect(diff("a\nb\n", "a\nb\n") == "")
    }

    @Test func oneChangedLineWithThreeLinesOfContext() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
        let new = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n"
        #expect(
            diff(old, new) == """
                --- f
                +++ f
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +FIVE
                 6
                 7
                 8

                """)
    }

    @Test func aNewFileAndAnEmptiedFile() {
        #expect(diff("", "x\ny\n") == "--- f\n+++ f\n@@ -0,0 +1,2 @@\n+x\n+y\n")
        #expect(diff("x\n", "") == "--- f\n+++ f\n@@ -1 +0,0 @@\n-x\n")
    }

    @Test func aMissingFinalNewlineIsShown() {
        #expect(
            diff("a\nb", "a\nb\n") == """
                --- f
                +++ f
                @@ -1,2 +1,2 @@
                 a
                -b
                \\ No newline at end of file
                +b

                """)
    }

    @Test func distantChangesMakeTwoHunksAndNearOnesOne() {
        let old = (1...20).map { "\($0)\n" }.joined()
        let far = old.replacingOccurrences(of: "\n2\n", with: "\nTWO\n").replacingOccurrences(
            of: "\n19\n", with: "\nNINETEEN\n")
        let farDiff = diff(old, far)
        #expect(
            farDiff.split(separator: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"])
        // Six unchanged lines between two changes: the contexts touch, so one hunk.
        let near = old.replacingOccurrences(of: "\n2\n", with: "\nTWO\n").replacingOccurrences(
            of: "\n9\n", with: "\nNINE\n")
        #expect(diff(old, near).split(separator: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,12 +1,12 @@"])
    }

    @Test func crlfLinesAreKeptWhole() {
        let result = diff("a\r\nb\r\n", "a\r\nc\r\n")
        #expect(result == "--- f\n+++ f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n")
    }

    /// Random texts over a small alphabet (so lines repeat, the hard case): the diff must apply
    /// back to the new text and be as short as possible.
    @Test func randomDiffsApplyAndAreMinimal() throws {
        var random = SplitMix64(seed: 42)
        for _ in 0..<400 {
            let old = randomText(&random)
            let new = randomText(&random)
            let result = diff(old, new)
            #expect(try apply(result, to: old) == new, "old: \(old.debugDescription) new: \(new.debugDescription)")
            let changed = result.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(2).filter { $0.hasPrefix("-") || $0.hasPrefix("+") }.count
            let oldLines = lines(old)
            let newLines = lines(new)
            let common = lcsLength(oldLines, newLines)
            #expect(changed == oldLines.count + newLines.count - 2 * common)
        }
    }

    @Test func hugeRewritesFallBackToACorrectBlockDiff() throws {
        let old = (0..<1_500).map { "old \($0)\n" }.joined()
        let new = (0..<1_500).map { "new \($0)\n" }.joined()
        let result = diff(old, new)
        #expect(try apply(result, to: old) == new)
    }

    // MARK: - Helpers

    func randomText(_ random: inout SplitMix64) -> String {
        let count = Int(random.next() % 25)
        let body = (0..<count).map { _ in ["a", "b", "c", "d", ""][Int(random.next() % 5)] }.joined(separator: "\n")
        if count == 0 { return "" }
        return random.next() % 4 == 0 ? body : body + "\n"
    }

    /// Lines with their "\n", as on disk.
    func lines(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            current.unicodeScalars.append(scalar)
            if scalar == "\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    struct PatchError: Error, CustomStringConvertible {
        var description: String
    }

    /// A strict `patch`: every context and removed line must match the old text exactly.
    func apply(_ diff: String, to old: String) throws -> String {
        if diff.isEmpty { return old }
        let source = lines(old)
        var entries = diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard entries.removeLast() == "", entries.count >= 2, entries[0] == "--- f", entries[1] == "+++ f" else {
            throw PatchError(description: "bad headers or ending")
        }
        var output: [String] = []
        var position = 0
        var index = 2
        while index < entries.count {
            let header = entries[index]
            guard header.hasPrefix("@@ -"), header.hasSuffix(" @@") else {
                throw PatchError(description: "bad hunk \(header)")
            }
            let fields = header.dropFirst(4).dropLast(3).split(separator: " ")
            let oldRange = fields[0].split(separator: ",").compactMap { Int($0) }
            let newRange = fields[1].dropFirst().split(separator: ",").compactMap { Int($0) }
            let oldCount = oldRange.count > 1 ? oldRange[1] : 1
            let newCount = newRange.count > 1 ? newRange[1] : 1
            let start = oldCount == 0 ? oldRange[0] : oldRange[0] - 1
            guard start >= position else { throw PatchError(description: "hunks overlap") }
            output += source[position..<start]
            position = start
            index += 1
            var (seenOld, seenNew) = (0, 0)
            while index < entries.count, !entries[index].hasPrefix("@@") {
                let entry = entries[index]
                var line = String(entry.dropFirst()) + "\n"
                if index + 1 < entries.count, entries[index + 1] == "\\ No newline at end of file" {
                    line.removeLast()
                    index += 1
                }
                switch entry.first {
                case " ", "-":
                    guard position < source.count, source[position] == line else {
                        throw PatchError(description: "mismatch at old line \(position + 1)")
                    }
                    if entry.first == " " {
                        output.append(line)
                        seenNew += 1
                    }
                    position += 1
                    seenOld += 1
                case "+":
                    output.append(line)
                    seenNew += 1
                default:
                    throw PatchError(description: "bad line \(entry)")
                }
                index += 1
            }
            guard seenOld == oldCount, seenNew == newCount else {
                throw PatchError(description: "bad counts in \(header)")
            }
        }
        output += source[position...]
        return output.joined()
    }
}

/// A small seeded generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
