/// A piece of inline text with one look, and the URL when it is a link's text.
struct Span: Equatable {
    var text: String
    var look: Look
    var link: String?

    init(_ text: String, _ look: Look = .plain, link: String? = nil) {
        self.text = text
        self.look = look
        self.link = link
    }

    var width: Int { DisplayWidth.of(text) }
}

/// Turns spans into the bytes a terminal shows: SGR around each styled piece, reset after each,
/// and OSC 8 around link text when hyperlinks are on. No style stays open across a call, so a
/// line written whole never leaves the terminal styled.
struct SpanWriter {
    var hyperlinks: Bool

    func write(_ spans: [Span], into out: inout String) {
        var index = 0
        while index < spans.count {
            let look = spans[index].look
            let link = spans[index].link
            var text = spans[index].text
            index += 1
            while index < spans.count, spans[index].look == look, spans[index].link == link {
                text += spans[index].text
                index += 1
            }
            write(text, look: look, link: link, into: &out)
        }
    }

    func write(_ text: String, look: Look, link: String? = nil, into out: inout String) {
        guard !text.isEmpty else { return }
        let linked = hyperlinks ? link.map(Self.osc8Target) : nil
        if let linked { out += "\u{1B}]8;;" + linked + "\u{1B}\\" }
        if look.isPlain {
            out += text
        } else {
            out += look.sgr
            out += text
            out += Look.reset
        }
        if linked != nil { out += "\u{1B}]8;;\u{1B}\\" }
    }

    /// The URL as OSC 8 may carry it: printable ASCII only, everything else percent-encoded, so
    /// a hostile URL cannot end the sequence early or smuggle in another one.
    static func osc8Target(_ url: String) -> String {
        var result = ""
        for byte in url.utf8 {
            if byte > 0x20 && byte < 0x7F {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
