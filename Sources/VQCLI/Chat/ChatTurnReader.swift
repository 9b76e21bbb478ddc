import FoundationEssentials
import TextFormatting
import VisionQuery

/// One chat turn to send: the prompt and the images attached for it.
struct ChatTurn {
    let prompt: String
    let images: [String]
}

/// Reads `vq chat`'s input until there is a turn to send: runs the chat commands (/image, /multi or `"""`, /edit,
/// /help), shows what is attached, and keeps every prompt in the line editor's history.
final class ChatTurnReader {
    private let source: ChatLineSource
    private let console: Console
    private let environment: [String: String]
    let attachments: ChatAttachments
    private let colored: Bool
    private var prompted = false

    init(source: ChatLineSource, attachments: ChatAttachments, console: Console, environment: [String: String], colored: Bool) {
        self.source = source
        self.attachments = attachments
        self.console = console
        self.environment = environment
        self.colored = colored
    }

    /// At a terminal, says which images (from the command line) go with the first turn.
    func showAttached() {
        guard source.isInteractive && !attachments.descriptions.isEmpty else { return }
        console.notice("attached to the first turn: " + attachments.descriptions.joined(separator: "; "))
    }

    /// The next turn, or nil when the chat ends (`/exit`, Ctrl-D, end of input). On a pipe, an image `/image` cannot
    /// attach ends the chat (thrown), so a script learns it; at a terminal it is a one-line error and the chat goes on.
    func next() throws(VQError) -> ChatTurn? {
        while true {
            // A blank line between an answer and the next prompt keeps a long session readable.
            if source.isInteractive && prompted { console.prompt("\n") }
            prompted = true
            let prompt = attachments.countLabel.map { "[\($0)] > " } ?? "> "
            switch source.read(prompt: prompt) {
            case .end: return nil
            case .interrupted: continue
            case .pasted(let text):
                source.remember(text)
                showRestOfPaste(text)
                return ChatTurn(prompt: text, images: attachments.paths)
            case .typed(let line):
                let input = ChatInput.parse(line)
                // Every line but a blank one and /exit is kept for recall (Up would otherwise offer /exit first).
                if input != .empty && input != .exit { source.remember(line) }
                if let turn = try act(on: input) { return turn.prompt.isEmpty ? nil : turn }
            }
        }
    }

    /// Runs a command, or returns the turn to send (an empty prompt: the chat ends).
    private func act(on input: ChatInput) throws(VQError) -> ChatTurn? {
        switch input {
        case .exit: return ChatTurn(prompt: "", images: [])
        case .empty: return nil
        case .turn(let text): return ChatTurn(prompt: text, images: attachments.paths)
        case .help: console.prompt(ChatHelpText.render(editing: source is EditedLineSource))
        case .listImages:
            if attachments.descriptions.isEmpty {
                console.notice("no images attached; /image PATH adds one")
            } else {
                console.notice("attached to the next turn: " + attachments.descriptions.joined(separator: "; "))
            }
        case .image(let path): try attach(ChatPath.expand(path, environment: environment))
        case .paste: try attach(InputLoader.clipboardArgument)
        case .unknownCommand(let message): console.warning(message)
        case .multiLine(let first):
            guard source.isInteractive else {
                console.warning("/multi and \"\"\" need a terminal; on a pipe each line is a turn")
                return nil
            }
            return readMultiLine(first: first)
        case .edit:
            guard source.isInteractive else {
                console.warning("/edit needs a terminal")
                return nil
            }
            let environment = environment
            let composed = source.lendTerminal { Result { () throws(VQError) in try ExternalEditor.compose(environment: environment) } }
            do throws(VQError) {
                let text = try composed.get()
                guard !text.isEmpty else {
                    console.notice("nothing written; nothing sent")
                    return nil
                }
                source.remember(text)
                console.prompt(text + "\n")
                return ChatTurn(prompt: text, images: attachments.paths)
            } catch {
                console.error(error.message)
            }
        }
        return nil
    }

    /// Lines up to one that is `"""` (the text before it on that line is kept); Ctrl-C or Ctrl-D drops them all.
    /// Validates and attaches one image argument; at a terminal a bad one is an error line and nothing is lost.
    private func attach(_ argument: String) throws(VQError) {
        do throws(VQError) {
            let description = try attachments.add(argument)
            if source.isInteractive { console.notice("attached \(description); \(attachments.countLabel ?? "") for the next turn") }
        } catch {
            guard source.isInteractive else { throw error }
            console.error(error.message)
        }
    }

    private func readMultiLine(first: String) -> ChatTurn? {
        var lines = first.isEmpty ? [] : [first]
        while true {
            switch source.read(prompt: "... ") {
            case .end, .interrupted:
                console.notice("multi-line prompt dropped")
                return nil
            case .typed(let line), .pasted(let line):
                let trimmed = line.trimmingWhitespace()
                if trimmed.hasSuffix(ChatInput.multiLineFence) {
                    let last = String(trimmed.dropLast(ChatInput.multiLineFence.count))
                    if !last.isEmpty { lines.append(last) }
                    let text = lines.joined(separator: "\n")
                    guard !text.trimmingWhitespaceAndNewlines().isEmpty else { return nil }
                    source.remember(text)
                    return ChatTurn(prompt: text, images: attachments.paths)
                }
                lines.append(line)
            }
        }
    }

    /// The line editor showed a paste's first line; the rest is shown dim under it, so the screen holds what is sent.
    private func showRestOfPaste(_ text: String) {
        let rest = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        guard !rest.isEmpty else { return }
        let shown = rest.map { TerminalStyle.paint("... ", TerminalStyle.dim, enabled: colored) + $0 }.joined(separator: "\n")
        console.prompt(shown + "\n")
    }
}
