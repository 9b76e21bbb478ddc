import FoundationEssentials
import TextFormatting

/// TOML values written by vq (the keys file, saved templates): strings quoted so that any text reads back the same.
enum TOMLText {
    /// A TOML basic string: `"…"` with quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String { "\"" + escaped(text, keepingLineBreaks: false) + "\"" }

    /// A multi-line basic string (`"""` on lines of their own) for text with line breaks, so a saved prompt reads as
    /// it was written; other text as `quoted`.
    static func block(_ text: String) -> String {
        guard text.contains("\n") else { return quoted(text) }
        return "\"\"\"\n" + escaped(text, keepingLineBreaks: true) + "\"\"\""
    }

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n" where keepingLineBreaks: out += "\n"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u" + HexText.padded(scalar.value, width: 4, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
