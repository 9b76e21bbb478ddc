import FoundationEssentials
import TextFormatting

/// One line typed (or piped) into `vq chat`: a turn, or one of its commands.
public enum ChatInput: Equatable, Sendable {
    case turn(String)
    /// `/image PATH`: an image (file or URL) for the next turn.
    case image(String)
    /// `/image` alone: show the images attached to the next turn.
    case listImages
    /// `/paste`: the clipboard's image for the next turn.
    case paste
    /// `/multi` or a line starting with `"""`: a prompt of several lines follows, ended by a line `"""`; the text after
    /// an opening `"""` is its first line.
    case multiLine(String)
    /// `/edit`: compose the prompt in `$VISUAL` / `$EDITOR`.
    case edit
    /// `/help`.
    case help
    /// `/exit` or `/quit`.
    case exit
    /// A blank line: nothing to send.
    case empty
    /// A `/word` that is not a command; `//text` sends `/text`.
    case unknownCommand(String)

    /// The chat commands, as `/help` lists them and Tab completes them.
    public static let commands: [(name: String, argument: String, summary: String)] = [
        ("/image", "PATH", "attach an image or PDF to the next turn (alone: list what is attached)"),
        ("/paste", "", "attach the clipboard's image to the next turn"),
        ("/multi", "", "type a prompt of several lines, ended by a line \"\"\" (or start a line with \"\"\")"),
        ("/edit", "", "compose the prompt in $VISUAL or $EDITOR"),
        ("/help", "", "show these commands and keys"),
        ("/exit", "", "leave (also /quit or Ctrl-D)"),
    ]

    /// The line that ends a multi-line prompt.
    public static let multiLineFence = "\"\"\""

    public static func parse(_ line: String) -> ChatInput {
        let trimmed = line.trimmingWhitespace()
        if trimmed.hasPrefix(multiLineFence) { return .multiLine(String(trimmed.dropFirst(multiLineFence.count))) }
        guard trimmed.hasPrefix("/") else { return trimmed.isEmpty ? .empty : .turn(line) }
        if trimmed.hasPrefix("//") { return .turn(String(trimmed.dropFirst())) }
        let word = trimmed.prefix { !$0.isWhitespace }
        let rest = trimmed.dropFirst(word.count).trimmingWhitespace()
        switch word {
        case "/exit", "/quit": return .exit
        case "/image": return rest.isEmpty ? .listImages : .image(rest)
        case "/paste": return .paste
        case "/multi": return .multiLine(rest)
        case "/edit": return .edit
        case "/help", "/?": return .help
        default:
            let names = commands.map(\.name).joined(separator: ", ")
            return .unknownCommand("unknown chat command '\(word)' (commands: \(names); /help explains; start with // to send a '/')")
        }
    }
}
