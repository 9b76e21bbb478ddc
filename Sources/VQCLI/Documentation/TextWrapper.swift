/// Wraps prose at word boundaries to a width; a word longer than the width gets a line of its own, never cut.
enum TextWrapper {
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Each paragraph wrapped, then indented by `indent` spaces.
    static func paragraph(_ text: String, width: Int, indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        return wrap(text, width: max(20, width - indent)).map { pad + $0 }.joined(separator: "\n") + "\n"
    }

    /// Two columns: each term, then its description wrapped in a column that starts after the longest term (at most
    /// `maxTermWidth`); a longer term puts its description on the next line. Terms are never cut.
    static func columns(_ rows: [(term: String, text: String)], width: Int, indent: Int = 2, maxTermWidth: Int = 30) -> String {
        let termWidth = min(maxTermWidth, rows.map(\.term.count).max() ?? 0)
        var column = indent + termWidth + 2
        // Too narrow a terminal for two columns: descriptions go under their terms.
        if width - column < 24 { column = indent + 6 }
        let pad = String(repeating: " ", count: column)
        var text = ""
        for row in rows {
            let lines = wrap(row.text, width: max(20, width - column))
            let head = String(repeating: " ", count: indent) + row.term
            if head.count + 2 <= column {
                text += head + String(repeating: " ", count: column - head.count) + lines[0] + "\n"
                for line in lines.dropFirst() { text += pad + line + "\n" }
            } else {
                text += head + "\n"
                for line in lines { text += pad + line + "\n" }
            }
        }
        return text
    }
}
