/// Turns what a program wrote to a terminal into the text a person reads.
public enum ANSIText {
    private static let escape: Unicode.Scalar = "\u{1B}"
    private static let bell: Unicode.Scalar = "\u{07}"
    private static let c1ControlSequenceIntroducer: Unicode.Scalar = "\u{9B}"

    /// Removes escape sequences (CSI such as colours and cursor moves, OSC such as window
    /// titles, DCS/APC/PM strings, and two- or three-byte ESC sequences), carriage returns and
    /// bells. Newlines, tabs and printable text are kept.
    ///
    /// A sequence cut off at the end of `text` is dropped whole, so stripping a prefix of a
    /// stream never shows half an escape as text.
    public static func stripped(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case escape:
                index = skipEscape(in: scalars, at: index)
            case c1ControlSequenceIntroducer:
                index = skipControlSequence(in: scalars, parametersAt: index + 1)
            case "\r", bell:
                index += 1
            default:
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    /// Returns the index just past the escape sequence that starts at `start` (an ESC).
    private static func skipEscape(in scalars: [Unicode.Scalar], at start: Int) -> Int {
        let next = start + 1
        guard next < scalars.count else { return scalars.count }
        switch scalars[next] {
        case "[":
            return skipControlSequence(in: scalars, parametersAt: next + 1)
        case "]", "P", "X", "^", "_":
            return skipControlString(in: scalars, from: next + 1)
        case "\u{20}"..."\u{2F}":
            // nF sequences such as ESC ( B: intermediates, then one final byte.
            var index = next
            while index < scalars.count, ("\u{20}"..."\u{2F}").contains(scalars[index]) { index += 1 }
            return min(index + 1, scalars.count)
        default:
            return next + 1
        }
    }

    /// CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
    private static func skipControlSequence(in scalars: [Unicode.Scalar], parametersAt start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let value = scalars[index].value
            index += 1
            if (0x40...0x7E).contains(value) { return index }
            if !(0x20...0x3F).contains(value) { return index - 1 }
        }
        return scalars.count
    }

    /// OSC and friends run until BEL or the string terminator ESC \.
    private static func skipControlString(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            if scalars[index] == bell { return index + 1 }
            if scalars[index] == escape {
                let next = index + 1
                guard next < scalars.count else { return scalars.count }
                return scalars[next] == "\\" ? next + 1 : index
            }
            index += 1
        }
        return scalars.count
    }
}
