import AgentProtocol
import Foundation
import Testing

/// `trimmedWhitespace()` trims what Foundation's `.whitespacesAndNewlines` trims.
@Suite struct WhitespaceTrimTests {
    @Test(arguments: [
        "", " ", "\n\t\r ", "plain", "  both ends \n", "\u{00A0}nbsp\u{00A0}", "\u{2028}line separators\u{2029}",
        "\u{3000}ideographic\u{3000}", "\u{0085}next line\u{000B}\u{000C}", "inner  \n  kept", " é\u{0301} ",
        " \u{0301}combining after a space", "emoji 👩‍💻 ", "\u{200B}zero width space\u{200B}",
    ])
    func sameAsFoundation(_ text: String) {
        #expect(text.trimmedWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        let sub = ("x" + text + "x").dropFirst().dropLast()
        #expect(sub.trimmedWhitespace() == sub.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func everyWhiteSpaceScalarIsTrimmed() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar) + "a" + String(scalar)
            let same = text.trimmedWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !same { Issue.record("U+\(String(value, radix: 16)) is trimmed differently") }
        }
    }
}
