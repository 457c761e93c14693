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
