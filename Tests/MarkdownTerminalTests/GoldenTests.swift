import Foundation
import Testing

@testable import MarkdownTerminal

/// Renders the answers in Golden/ and compares what the screen shows with the golden files,
/// whole and fed in small pieces that split every marker (`*` then `*bold`, `` ` `` then
/// `` ``python ``). Run with UPDATE_GOLDEN=1 to write the golden files after a deliberate change.
@Suite("Golden renderings")
struct GoldenTests {
    static let cases: [(name: String, width: Int)] = [
        ("inline", 80), ("blocks", 50), ("code", 80), ("tables", 40), ("wide", 24), ("answer", 80),
    ]

    static func input(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Golden"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func screen(_ pieces: [String], width: Int) -> ScreenModel {
        var stream = MarkdownStream(width: width, options: .init(hyperlinks: true))
        var screen = ScreenModel(width: width)
        for piece in pieces { screen.apply(stream.feed(piece)) }
        screen.apply(stream.finish())
        return screen
    }

    static func pieces(_ text: String, size: Int) -> [String] {
        var result: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: size, limitedBy: text.endIndex) ?? text.endIndex
            result.append(String(text[index..<end]))
            index = end
        }
        return result
    }

    @Test(arguments: cases)
    func wholeAnswerMatchesTheGoldenFile(name: String, width: Int) throws {
        let screen = Self.screen([try Self.input(name)], width: width)
        #expect(screen.problems.isEmpty)
        let rendered = ScreenModel.readable(screen.text) + "\n"
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/\(name).golden")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(rendered == expected)
    }

    @Test(arguments: cases)
    func smallPiecesRenderTheSameScreen(name: String, width: Int) throws {
        let text = try Self.input(name)
        let whole = Self.screen([text], width: width).text
        for size in [1, 2, 3, 5, 8] {
            let screen = Self.screen(Self.pieces(text, size: size), width: width)
            #expect(screen.problems.isEmpty, "pieces of \(size)")
            #expect(screen.text == whole, "pieces of \(size)")
        }
    }

    /// Every split point, one at a time: a marker cut in two (`*`|`*bold`, `` ` ``|`` ``python ``)
    /// renders as if it had arrived whole.
    @Test(arguments: cases)
    func everySplitPointRendersTheSameScreen(name: String, width: Int) throws {
        let text = try Self.input(name)
        let whole = Self.screen([text], width: width).text
        var index = text.startIndex
        while index < text.endIndex {
            let screen = Self.screen([String(text[..<index]), String(text[index...])], width: width)
            #expect(screen.problems.isEmpty)
            #expect(screen.text == whole, "split at \(text.distance(from: text.startIndex, to: index))")
            index = text.index(after: index)
        }
    }
}
