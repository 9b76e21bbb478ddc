import FoundationEssentials
import TextFormatting

/// Rejects config text that would crash toml++ (bundled in TOMLKit 0.6.0), which asserts instead of reporting an
/// error when a table header does not start with a key (`[+x]`, `[é]`) or a `}` closes an array (`x = [ }`); all
/// found by fuzzing. Also reports any non-ASCII character outside strings and comments, which TOML 1.0 does not
/// allow there, and a string left open, which toml++ describes as a forbidden control character.
enum TOMLPreflight {
    /// The first problem: its 1-based line and what is wrong, or nil when toml++ can be given the text.
    static func firstProblem(in text: String) -> (line: Int, message: String)? {
        enum State { case code, comment, basic, literal, multiBasic, multiLiteral }
        var state = State.code
        var line = 1
        var atLineStart = true
        var openers: [Unicode.Scalar] = []  // [ and { opened inside values; array lines are not taken for headers
        var stringLine = 0  // where the string being read was opened
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func starts(_ token: String, at position: Int) -> Bool {
            let token = Array(token.unicodeScalars)
            return position + token.count <= scalars.count && Array(scalars[position..<(position + token.count)]) == token
        }
        func startsKey(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "_-\"']".unicodeScalars.contains(scalar)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                if state == .basic || state == .literal { return (line, unterminated(state == .basic ? "\"" : "'")) }
                line += 1
                atLineStart = true
                if state == .comment || state == .basic || state == .literal { state = .code }
                index += 1
                continue
            }
            switch state {
            case .code:
                if !scalar.isASCII {
                    return (line, "'\(Character(scalar))' outside a string or comment: TOML keys are ASCII (quote the key, e.g. [profiles.\"name\"])")
                }
                if scalar == "[" && atLineStart && openers.isEmpty {
                    var next = index + 1
                    if next < scalars.count && scalars[next] == "[" { next += 1 }
                    while next < scalars.count && (scalars[next] == " " || scalars[next] == "\t") { next += 1 }
                    if next < scalars.count && !startsKey(scalars[next]) {
                        let found =
                            scalars[next].properties.isWhitespace || scalars[next].value < 0x20
                            ? "U+" + HexText.padded(scalars[next].value, width: 4, uppercase: true) : "'\(Character(scalars[next]))'"
                        return (line, "a table header must start with a name, e.g. [profiles.NAME] (found \(found))")
                    }
                } else if scalar == "[" || scalar == "{" {
                    openers.append(scalar)
                } else if scalar == "]" || scalar == "}" {
                    if let open = openers.last {
                        guard (open == "[") == (scalar == "]") else {
                            return (line, "'\(Character(scalar))' closes a '\(Character(open))' opened earlier")
                        }
                        openers.removeLast()
                    }
                } else if scalar == "#" {
                    state = .comment
                } else if starts("\"\"\"", at: index) {
                    state = .multiBasic
                    stringLine = line
                    index += 2
                } else if starts("'''", at: index) {
                    state = .multiLiteral
                    stringLine = line
                    index += 2
                } else if scalar == "\"" {
                    state = .basic
                } else if scalar == "'" {
                    state = .literal
                }
            case .comment: break
            case .basic:
                // An escape never swallows the line's end: a string left open there is reported above.
                if scalar == "\\" && index + 1 < scalars.count && scalars[index + 1] != "\n" { index += 1 } else if scalar == "\"" { state = .code }
            case .literal:
                if scalar == "'" { state = .code }
            case .multiBasic:
                if scalar == "\\" && index + 1 < scalars.count && scalars[index + 1] != "\n" {
                    index += 1
                } else if starts("\"\"\"", at: index) {
                    state = .code
                    index += 2
                }
            case .multiLiteral:
                if starts("'''", at: index) {
                    state = .code
                    index += 2
                }
            }
            if scalar != " " && scalar != "\t" && scalar != "\r" { atLineStart = false }
            index += 1
        }
        switch state {
        case .basic: return (line, unterminated("\""))
        case .literal: return (line, unterminated("'"))
        case .multiBasic: return (stringLine, "unterminated multi-line string: the \"\"\" opened on this line is never closed")
        case .multiLiteral: return (stringLine, "unterminated multi-line string: the ''' opened on this line is never closed")
        case .code, .comment: return nil
        }
    }

    private static func unterminated(_ quote: String) -> String {
        "unterminated string: the \(quote) opened on this line is not closed before the line ends "
            + "(a string over several lines needs \(quote)\(quote)\(quote))"
    }
}
