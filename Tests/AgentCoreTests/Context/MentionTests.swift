import Foundation
import Testing

@testable import AgentCore

@Suite struct MentionTests {
    func paths(_ text: String) -> [String] { Mention.all(in: text).map(\.path) }

    @Test func mentionsStartAtAWordBoundary() {
        #expect(paths("look at @notes.txt and @src/main.swift") == ["notes.txt", "src/main.swift"])
        #expect(paths("@a.md") == ["a.md"])
        #expect(paths("(see @docs/x.md)") == ["docs/x.md"])
        #expect(paths("mail ann@example.com or user@host") == [])
    }

    @Test func sentencePunctuationIsNotPartOfThePath() {
        #expect(paths("Read @notes.txt. Then @b.md, and @c.md!") == ["notes.txt", "b.md", "c.md"])
        #expect(paths("quoted @\"My Notes.txt\" here") == ["My Notes.txt"])
    }

    @Test func codeIsLeftAlone() {
        #expect(paths("what does `@Published` do") == [])
        #expect(paths("```swift\n@MainActor func f()\n```\nbut @real.txt") == ["real.txt"])
        #expect(paths("an unclosed ` then @x.md") == ["x.md"])
        // A span closes at the next place with as many backticks in a row, even inside a longer
        // run; a run that nothing later closes is literal.
        #expect(paths("`a` ``b`` `` @one.md ` @two.md ``c``") == [])
        #expect(paths("`` @one.md ` @two.md") == ["one.md", "two.md"])
        #expect(paths("`` @one.md `` x `` @two.md") == ["two.md"])
        #expect(paths("x ``` inline @one.md ```` @two.md `` @three.md") == ["three.md"])
        #expect(paths("no at sign at all, `code` and more") == [])
    }

    /// Unclosed runs cost one pass in all (each used to search, and copy, the rest of the text).
    @Test func manyUnclosedRunsStayLinear() {
        // Runs of falling length: none is closed by a later one, each used to search the rest.
        let falling = (1...600).reversed().map { "x " + String(repeating: "`", count: $0) + " @x.md\n" }.joined()
        #expect(paths(falling).count == 600)
        let line = "a ` b `` c @x.md\n"
        #expect(paths(String(repeating: line, count: 50_000)).count == 16_667)
    }

    /// Each different path is looked up once, and at most `maxLookups` of them; later ones are
    /// plain text.
    @Test func lookUpsAreBounded() throws {
        let space = try TemporaryWorkspace()
        try space.write("real.txt", "x\n")
        let workspace = URL(fileURLWithPath: space.root)
        let many = (0..<Attachments.maxLookups).map { "@name\($0)" }.joined(separator: " ")
        #expect(try Attachments.plan(many + " @real.txt", workspace: workspace).isEmpty)
        #expect(try Attachments.plan("@real.txt " + many, workspace: workspace).map(\.resolved.display) == ["real.txt"])
        let repeated = String(repeating: "@alice ", count: 100_000) + "@real.txt"
        #expect(try Attachments.plan(repeated, workspace: workspace).map(\.resolved.display) == ["real.txt"])
    }

    @Test func wordsThatDoNotLookLikePathsAreOnlyMentionsWhenTheyExist() throws {
        let space = try TemporaryWorkspace()
        try space.write("notes.txt", "line one\nline two\n")
        try space.write("Makefile", "all:\n")
        let workspace = URL(fileURLWithPath: space.root)
        #expect(try Attachments.plan("hi @alice, see @Makefile", workspace: workspace).map(\.resolved.display) == ["Makefile"])
        #expect(throws: AttachmentError.missing("nope.txt")) { try Attachments.plan("read @nope.txt", workspace: workspace) }
        let planned = try Attachments.plan("@notes.txt and again @./notes.txt", workspace: workspace)
        #expect(planned.count == 1)
    }
}
