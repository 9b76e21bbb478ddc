import Foundation

/// The rows a terminal shows after some output: a minimal emulator of what vq and its neighbours write (text,
/// carriage return, line feed, erase to the end of the line, wrapping at the width).
struct TerminalScreen {
    private(set) var rows: [[Character]] = [[]]
    private var row = 0
    private var column = 0
    let columns: Int

    init(columns: Int, output: String) {
        self.columns = columns
        var characters = Array(output)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\r": column = 0
            case "\n": lineFeed()
            case "\u{1B}":
                // CSI: ESC [ parameters final-byte; only "erase to end of line" (K) changes what is shown.
                guard characters.first == "[" else { continue }
                characters.removeFirst()
                var final: Character = " "
                while let next = characters.popFirst() {
                    if next.isLetter || next == "~" {
                        final = next
                        break
                    }
                }
                if final == "K" && column < rows[row].count { rows[row].removeSubrange(column...) }
            default:
                if column == columns {
                    lineFeed()
                    column = 0
                }
                while rows[row].count < column { rows[row].append(" ") }
                if column < rows[row].count { rows[row][column] = character } else { rows[row].append(character) }
                column += 1
            }
        }
    }

    private mutating func lineFeed() {
        row += 1
        if row == rows.count { rows.append([]) }
    }

    /// The rows that show something, as text.
    var text: [String] { rows.map { String($0) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }
}
