extension StringProtocol {
    /// The text without leading and trailing white space and line breaks: the characters of
    /// Foundation's `.whitespacesAndNewlines`, which are Unicode's White_Space property and,
    /// in swift-corelibs-foundation, the zero width space (U+200B) too.
    ///
    /// Foundation's `trimmingCharacters(in:)` converts the whole string to UTF-16 and back on
    /// Linux: 10 of the 15 seconds a 120 MB paste took before agent could say it does not fit.
    /// This reads only the ends, and copies what is kept once.
    public func trimmedWhitespace() -> String {
        let scalars = unicodeScalars
        let kept: (Unicode.Scalar) -> Bool = { !$0.properties.isWhitespace && $0 != "\u{200B}" }
        guard let first = scalars.firstIndex(where: kept), let last = scalars.lastIndex(where: kept)
        else { return "" }
        let end = scalars.index(after: last)
        // Nothing to trim: a String is returned as it is, uncopied.
        if first == startIndex, end == endIndex { return String(self) }
        return String(decoding: utf8[first..<end], as: UTF8.self)
    }
}
