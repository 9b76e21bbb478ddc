import TextFormatting

/// What a CSV cell may hold: no NUL byte, and (by default) nothing a spreadsheet runs as a formula. A cell starting
/// with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, as OWASP recommends against CSV injection (CWE-1236).
public enum CSVCell {
    /// The characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// `text` without NUL bytes and, when `neutralisingFormulas`, with a `'` before a formula start.
    public static func safe(_ text: String, neutralisingFormulas: Bool) -> String {
        let clean = text.containsScalars("\0") ? text.replacingScalars("\0", with: "") : text
        guard neutralisingFormulas, let first = clean.unicodeScalars.first, formulaStarts.contains(Character(first)) else { return clean }
        return "'" + clean
    }

    /// The text a neutralised cell stood for (the `'` vq added taken off), to match rows to images on `--resume`.
    static func original(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let second = cell.unicodeScalars.dropFirst().first, formulaStarts.contains(Character(second)) else { return cell }
        return String(cell.dropFirst())
    }
}
