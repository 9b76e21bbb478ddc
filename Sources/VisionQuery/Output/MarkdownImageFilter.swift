/// Replaces markdown images whose target is a data URL (`![alt](data:image/png;base64,…)`) in answer text,
/// streamed or whole: text from `![` is held back until the closing `)`, then `replace` turns the data URL into
/// the link to print (the saved file's path). Other text, and links that are not data URLs, pass unchanged.
public struct MarkdownImageFilter {
    private enum State { case text, bang, alt, afterAlt, scheme, dataURL }
    private var state = State.text
    private var held = ""  // everything held back since `!`, printed verbatim if it is not a data-URL image
    private var alt = ""
    private var url = ""

    /// Longer "alt texts" are not image syntax; stops a stray `![` from holding back the rest of the answer.
    static let maxAlt = 300

    public init() {}

    /// Returns the text that may be printed now.
    public mutating func feed(_ text: String, replace: (String) -> String) -> String {
        // Most deltas hold no `!` at all: they pass whole, without a walk over their characters.
        if state == .text && !text.utf8.contains(UInt8(ascii: "!")) { return text }
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            switch state {
            case .text:
                guard let bang = text[index...].firstIndex(of: "!") else {
                    out += text[index...]
                    return out
                }
                out += text[index..<bang]
                held = "!"
                state = .bang
                index = text.index(after: bang)
                continue
            case .dataURL:
                guard let close = text[index...].firstIndex(of: ")") else {
                    url += text[index...]
                    return out
                }
                url += text[index..<close]
                out += "![\(alt)](\(replace(url)))"
                reset()
                index = text.index(after: close)
                continue
            default:
                break
            }
            let character = text[index]
            index = text.index(after: index)
            switch state {
            case .bang:
                if character == "[" {
                    held.append(character)
                    alt = ""
                    state = .alt
                } else {
                    out += flush()
                    index = text.index(before: index)
                }
            case .alt:
                if character == "]" {
                    held.append(character)
                    state = .afterAlt
                } else if character == "\n" || alt.count >= Self.maxAlt {
                    out += flush()
                    index = text.index(before: index)
                } else {
                    held.append(character)
                    alt.append(character)
                }
            case .afterAlt:
                if character == "(" {
                    held.append(character)
                    url = ""
                    state = .scheme
                } else {
                    out += flush()
                    index = text.index(before: index)
                }
            case .scheme:
                let candidate = url + String(character)
                if "data:".hasPrefix(candidate.lowercased()) {
                    held.append(character)
                    url = candidate
                    if candidate.count == 5 { state = .dataURL }
                } else {
                    out += flush()
                    index = text.index(before: index)
                }
            case .text, .dataURL:
                preconditionFailure("handled above")
            }
        }
        return out
    }

    /// The held-back rest at the end of the answer: an unterminated data URL is still replaced.
    public mutating func finish(replace: (String) -> String) -> String {
        if state == .dataURL {
            let text = "![\(alt)](\(replace(url)))"
            reset()
            return text
        }
        return flush()
    }

    /// Gives up on the held text: it is printed as it came.
    private mutating func flush() -> String {
        let text = held
        reset()
        return text
    }

    private mutating func reset() {
        state = .text
        held = ""
        alt = ""
        url = ""
    }
}
