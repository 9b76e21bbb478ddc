import FoundationEssentials
import TextFormatting

/// `vq compare`'s answers laid out for reading: side by side in columns when the terminal is wide enough for every
/// column to be at least `minimumColumn` characters, else one after another (always so in a pipe or file).
enum CompareLayout {
    /// One profile's answer: its label ("gemini (gemini-2.5-flash)"), the text (or the error), and a footer line
    /// with latency, tokens and cost.
    struct Panel: Equatable {
        var label: String
        var text: String
        var footer: String
    }

    static let minimumColumn = 28
    static let separator = " │ "

    /// Columns when `width` (nil: not a terminal) fits them, else stacked. On a terminal, control characters in the
    /// answers are shown as `cat -v` does (`VisibleControlCharacters`).
    static func render(_ panels: [Panel], width: Int?) -> String {
        guard let width else { return stacked(panels, terminal: false) }
        // Made visible before the columns are measured (the console would do it after, and break the alignment).
        let panels = panels.map {
            Panel(label: VisibleControlCharacters.visible($0.label), text: VisibleControlCharacters.visible($0.text), footer: $0.footer)
        }
        let column = (width - separator.count * (panels.count - 1)) / max(1, panels.count)
        return panels.count > 1 && column >= minimumColumn ? sideBySide(panels, column: column) : stacked(panels, terminal: true)
    }

    /// Each answer under a header line, with its footer after it and a blank line between answers.
    static func stacked(_ panels: [Panel], terminal: Bool) -> String {
        panels.map { panel in
            let text = panel.text.hasSuffix("\n") || panel.text.isEmpty ? panel.text : panel.text + "\n"
            return "=== \(panel.label) ===\n\(text)[\(panel.footer)]\n"
        }.joined(separator: "\n")
    }

    /// Label row, a rule, the wrapped answers row by row, a rule, the footer row.
    static func sideBySide(_ panels: [Panel], column: Int) -> String {
        let bodies = panels.map { panel in
            panel.text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(String($0), width: column) }
        }
        let heads = panels.map { wrap($0.label, width: column) }
        let feet = panels.map { wrap($0.footer, width: column) }
        func rows(_ cells: [[String]]) -> String {
            let height = cells.map(\.count).max() ?? 0
            return (0..<height).map { index in
                cells.map { $0.indices.contains(index) ? $0[index] : "" }.enumerated().map { position, cell in
                    position == cells.count - 1 ? cell : cell.padded(toLength: column)
                }.joined(separator: separator).trimmingTrailingWhitespace() + "\n"
            }.joined()
        }
        let rule = Array(repeating: String(repeating: "─", count: column), count: panels.count).joined(separator: "─┼─") + "\n"
        return rows(heads) + rule + rows(bodies) + rule + rows(feet)
    }

    /// A line cut into pieces of at most `width` characters, at spaces where it can be.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard line.count > width else { return [line] }
        var pieces: [String] = []
        var rest = Substring(line)
        while rest.count > width {
            let window = rest.prefix(width)
            let cut = window.lastIndex(of: " ").map { rest.index(after: $0) } ?? window.endIndex
            pieces.append(String(rest[..<cut]).trimmingWhitespace())
            rest = rest[cut...]
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return pieces
    }
}
