import Foundation

/// One line typed (or piped) into `vq chat`: a turn, or one of its commands.
public enum ChatInput: Equatable, Sendable {
    case turn(String)
    /// `/image PATH`: an image or PDF (file or URL) for the next turn.
    case image(String)
    /// `/paste`: the clipboard's image for the next turn.
    case paste
    /// `/exit` or `/quit`.
    case exit
    /// A blank line: nothing to send.
    case empty
    /// A `/word` that is not a command; `//text` sends `/text`.
    case unknownCommand(String)

    public static func parse(_ line: String) -> ChatInput {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("/") else { return trimmed.isEmpty ? .empty : .turn(line) }
        if trimmed.hasPrefix("//") { return .turn(String(trimmed.dropFirst())) }
        let word = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        switch word {
        case "/exit", "/quit": return .exit
        case "/image": return rest.isEmpty ? .unknownCommand("/image needs a PATH") : .image(rest)
        case "/paste": return .paste
        default: return .unknownCommand("unknown chat command '\(word)' (commands: /image PATH, /paste, /exit; start with // to send a '/')")
        }
    }
}
