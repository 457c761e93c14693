/// What the code highlighter needs to know of a language: its keywords, comments and strings.
/// Deliberately small: a highlighter for reading answers, not a parser.
struct LanguageSyntax: Sendable {
    enum Kind: Sendable {
        case code
        case json
        case diff
        /// A shell session: `$ ` lines are commands, the others output.
        case console
    }

    var kind: Kind = .code
    var keywords: Set<String> = []
    var lineComments: [String] = []
    var blockComment: (open: String, close: String)?
    var quotes: Set<Unicode.Scalar> = ["\"", "'"]
    /// `"""` (and `'''` in Python) strings that may span lines.
    var tripleQuotes: [String] = []
    /// `#` starts a comment only at the start of a word (shell).
    var commentNeedsSpaceBefore = false
    /// `$NAME` and `${...}` are variables (shell).
    var dollarVariables = false

    /// The syntax for a fence's language name, or nil for a language it does not know.
    static func named(_ name: String) -> LanguageSyntax? {
        switch name {
        case "swift": swift
        case "python", "py", "python3": python
        case "sh", "bash", "shell", "zsh", "ksh", "fish": shell
        case "console", "shell-session", "terminal": LanguageSyntax(kind: .console)
        case "json", "jsonc", "json5", "jsonl": json
        case "diff", "patch", "udiff": LanguageSyntax(kind: .diff)
        case "javascript", "js", "jsx", "typescript", "ts", "tsx", "mjs": javascript
        case "rust", "rs": rust
        case "go", "golang": go
        case "c", "h", "cpp", "c++", "cc", "hpp", "objc", "java", "kotlin", "kt", "csharp", "cs": cFamily
        case "yaml", "yml", "toml", "ini": config
        default: nil
        }
    }

    private static func words(_ text: String) -> Set<String> { Set(text.split(separator: " ").map(String.init)) }

    static let swift = LanguageSyntax(
        keywords: words("""
            actor any as associatedtype async await break case catch class continue default defer deinit do \
            else enum extension fallthrough false fileprivate final for func guard if import in init inout \
            internal is lazy let mutating nil nonisolated open operator override private protocol public \
            repeat rethrows return self Self some static struct subscript super switch throw throws true try \
            typealias var weak where while
            """),
        lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\""], tripleQuotes: ["\"\"\""])

    static let python = LanguageSyntax(
        keywords: words("""
            and as assert async await break class continue def del elif else except False finally for from \
            global if import in is lambda match None nonlocal not or pass raise return True try while with \
            yield case self
            """),
        lineComments: ["#"], tripleQuotes: ["\"\"\"", "'''"])

    static let shell = LanguageSyntax(
        keywords: words("""
            if then else elif fi for while until do done case esac in function return exit export local \
            readonly unset set shift source alias echo cd test
            """),
        lineComments: ["#"], commentNeedsSpaceBefore: true, dollarVariables: true)

    static let json = LanguageSyntax(kind: .json, keywords: ["true", "false", "null"], lineComments: ["//"], quotes: ["\""])

    static let javascript = LanguageSyntax(
        keywords: words("""
            async await break case catch class const continue debugger default delete do else enum export \
            extends false finally for from function if implements import in instanceof interface let new null \
            of return static super switch this throw true try type typeof undefined var void while yield
            """),
        lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\"", "'", "`"])

    static let rust = LanguageSyntax(
        keywords: words("""
            as async await break const continue crate dyn else enum extern false fn for if impl in let loop \
            match mod move mut pub ref return self Self static struct super trait true type unsafe use where \
            while Some None Ok Err
            """),
        lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\""])

    static let go = LanguageSyntax(
        keywords: words("""
            break case chan const continue default defer else fallthrough for func go goto if import \
            interface map package range return select struct switch type var true false nil
            """),
        lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\"", "'", "`"])

    static let cFamily = LanguageSyntax(
        keywords: words("""
            auto bool break case catch char class const continue default delete do double else enum extern \
            false float for fun if import include int long namespace new null nullptr override package private \
            protected public return short signed sizeof static struct switch template this throw true try \
            typedef typename union unsigned using val var virtual void volatile while
            """),
        lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\"", "'"])

    static let config = LanguageSyntax(keywords: ["true", "false", "null", "yes", "no", "on", "off"], lineComments: ["#", ";"])
}
