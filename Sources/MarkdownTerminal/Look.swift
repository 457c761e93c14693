/// How a piece of text looks: SGR attributes and a foreground colour from the 16-colour
/// palette, so the user's terminal theme decides the actual colours.
public struct Look: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1 << 0)
        public static let dim = Attributes(rawValue: 1 << 1)
        public static let italic = Attributes(rawValue: 1 << 2)
        public static let underline = Attributes(rawValue: 1 << 3)
        public static let strikethrough = Attributes(rawValue: 1 << 4)
    }

    public enum Color: UInt8, Sendable {
        case red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36
    }

    public var attributes: Attributes
    public var color: Color?

    public init(_ attributes: Attributes = [], color: Color? = nil) {
        self.attributes = attributes
        self.color = color
    }

    public static let plain = Look()

    public var isPlain: Bool { attributes.isEmpty && color == nil }

    /// This look with `other`'s attributes added; `other`'s colour wins when it has one.
    public func adding(_ other: Look) -> Look {
        Look(attributes.union(other.attributes), color: other.color ?? color)
    }

    /// The SGR sequence that sets this look from the default; empty for plain text.
    public var sgr: String {
        guard !isPlain else { return "" }
        var codes: [String] = []
        if attributes.contains(.bold) { codes.append("1") }
        if attributes.contains(.dim) { codes.append("2") }
        if attributes.contains(.italic) { codes.append("3") }
        if attributes.contains(.underline) { codes.append("4") }
        if attributes.contains(.strikethrough) { codes.append("9") }
        if let color { codes.append(String(color.rawValue)) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// Resets every attribute.
    public static let reset = "\u{1B}[0m"
}

/// The looks the renderer uses for each element.
public struct Theme: Sendable {
    public var headings: [Look]
    public var strong = Look(.bold)
    public var emphasis = Look(.italic)
    public var strikethrough = Look(.strikethrough)
    public var inlineCode = Look(color: .cyan)
    public var linkText = Look(.underline, color: .blue)
    public var linkURL = Look(.dim)
    public var listMarker = Look(color: .yellow)
    public var quoteBar = Look(.dim)
    public var rule = Look(.dim)
    public var codeLabel = Look([.dim, .italic])
    public var tableBorder = Look(.dim)
    public var tableHeader = Look(.bold)
    public var code = CodeLooks()

    /// Looks of a code block's tokens.
    public struct CodeLooks: Sendable {
        public var keyword = Look(color: .magenta)
        public var string = Look(color: .green)
        public var comment = Look([.dim, .italic])
        public var number = Look(color: .yellow)
        public var key = Look(color: .blue)
        public var inserted = Look(color: .green)
        public var deleted = Look(color: .red)
        public var hunk = Look(.dim)
        public var fileHeader = Look(.bold)
        public var prompt = Look(.dim)
    }

    public init() {
        headings = [
            Look([.bold, .underline], color: .magenta), Look(.bold, color: .magenta), Look(.bold, color: .blue),
            Look(.bold), Look(.bold), Look(.bold),
        ]
    }

    public static let standard = Theme()

    func heading(_ level: Int) -> Look { headings[max(0, min(level - 1, headings.count - 1))] }
}
