import FoundationEssentials
import Glibc
import Transport
import VisionQuery

extension ChatTurnReader {
    /// The reader for this chat: the line editor when stdin and stderr are a terminal that can take it (plain lines
    /// otherwise, and on a pipe), with the command line's images validated and attached first (throwing as a query
    /// would: 66 for a missing file, 65 for one that is not an image).
    static func make(
        session: QuerySession, network: HTTPClient, images: [String], console: Console, environment: [String: String]
    ) throws(VQError) -> ChatTurnReader {
        let attachments = ChatAttachments(limit: session.profile.maxImages, profile: session.profile.name) { path throws(VQError) in
            if path == "-" { throw VQError(.usage, "'vq chat' reads turns from standard input; '-' cannot be an image here") }
            // A URL is fetched (and checked) once, when its turn is sent, not twice.
            if InputLoader.isURL(path) { return "\(path) (checked when sent)" }
            let loader = session.loader(client: network, inlineImagesPerRequest: max(1, session.inlineCount([path])), prompt: "")
            return try loader.load(path).parts.map(\.summary).joined(separator: ", ")
        }
        try attachments.add(all: images)
        let capabilities = TerminalCapabilities(environment: environment, colorMode: console.colorMode)
        let interactive = Console.isTerminal(STDIN_FILENO)
        var source: ChatLineSource = PlainLineSource(console: console, interactive: interactive)
        if interactive && capabilities.editsLines {
            let completer = ChatCompleter(environment: environment)
            do {
                let editor = try LineEditor(historyPath: ChatHistoryLocation.path(environment: environment)) { completer.complete($0) }
                source = EditedLineSource(editor: editor, console: console, colored: capabilities.colorsStderr)
            } catch {
                console.notice("line editing is off: \(error.reason)")
            }
        }
        return ChatTurnReader(
            source: source, attachments: attachments, console: console, environment: environment, colored: capabilities.colorsStderr)
    }
}
