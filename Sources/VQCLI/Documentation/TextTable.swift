import FoundationEssentials
import TextFormatting

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == columns - 1 ? cell : cell.padded(toLength: widths[index])
            }.joined(separator: "  ").trimmingTrailingWhitespace()
        }.joined(separator: "\n") + "\n"
    }

    /// The table fitted to `width` columns, as `ls` and `ps` do on a narrow terminal: the columns named in `dropping`
    /// go first, in that order, then the cells of `squeezing` are cut (with `…`) to what is left. The first row is the
    /// header that names the columns.
    static func fitted(_ rows: [[String]], width: Int, dropping: [String], squeezing: String) -> [[String]] {
        var rows = rows
        func widest(_ rows: [[String]]) -> Int { render(rows).split(separator: "\n").map(\.count).max() ?? 0 }
        for name in dropping where widest(rows) > width {
            guard let column = rows.first?.firstIndex(of: name) else { continue }
            rows = rows.map { row in
                var row = row
                row.remove(at: column)
                return row
            }
        }
        let excess = widest(rows) - width
        guard excess > 0, let column = rows.first?.firstIndex(of: squeezing) else { return rows }
        let room = max(rows.map { $0[column].count }.max()! - excess, max(squeezing.count, 4))
        return rows.map { row in
            var row = row
            if row[column].count > room { row[column] = String(row[column].prefix(room - 1)) + "…" }
            return row
        }
    }
}
