/// A model answer that uses the markdown a terminal renderer must handle, for end-to-end tests
/// of rendering: a heading, bold and italic words, inline code, a nested bullet list, a Python
/// code fence, a two-column table and a quote.
public enum MarkdownAnswer {
    public static let text = """
        # Reading a file in Python

        Use **with** so the file is *closed* for you, and call `read()` once.

        - open the file
        - read its text
          - or iterate over lines

        ```python
        with open("notes.txt") as f:
            text = f.read()  # whole file
        ```

        | Mode | Meaning |
        |------|---------|
        | r | read |
        | w | write, truncating |

        > Tip: pass `encoding="utf-8"` explicitly.
        """

    /// The answer in pieces of one to three characters, so that every marker arrives split:
    /// `*` then `*with`, `` ` `` then `` ``python ``.
    public static var pieces: [String] {
        var result: [String] = []
        var index = text.startIndex
        var size = 1
        while index < text.endIndex {
            let end = text.index(index, offsetBy: size, limitedBy: text.endIndex) ?? text.endIndex
            result.append(String(text[index..<end]))
            index = end
            size = size % 3 + 1
        }
        return result
    }
}
