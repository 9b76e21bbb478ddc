import FoundationEssentials
import Interrupts
import VisionQuery

/// The sending side of `vq chat`'s terminal concerns: takes each turn the reader yields (ChatTurnReader: the line
/// editor, chat commands, checked images) and hands it to the run; Ctrl-C on a terminal (the answer stopped while
/// one is written, the chat goes on).
struct ChatLoop {
    let console: Console
    /// Standard input is a terminal: prompts are shown and Ctrl-C is caught.
    let interactive: Bool
    /// The template's prompt, put before the first turn.
    var opening: String?
    let reader: ChatTurnReader

    /// The chat's output policy: a partial answer still ends its line, so each turn is a line of its own.
    static func policy(_ options: QueryOptions, environment: [String: String]) -> OutputPolicy {
        var policy = OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress)
        policy.endsPartialAnswerLine = true
        return policy
    }

    /// Reads turns until `/exit` or end of input and hands each to `send`; on a pipe a failed turn (or an image
    /// `/image` cannot attach) ends the chat with its exit code (a script learns which turn failed). A turn that
    /// failed keeps its images for the next.
    mutating func run(_ send: (ExchangeRequest) throws(VQError) -> Void, banner: () -> String) -> Int32 {
        if interactive { InterruptFlag.catching(true) }
        defer { if interactive { InterruptFlag.catching(false) } }
        if interactive { console.notice(banner()) }
        reader.showAttached()
        while true {
            let turn: ChatTurn
            do throws(VQError) {
                guard let next = try reader.next() else { break }
                turn = next
            } catch {
                console.error(error.message)
                return ExitCode(error.category).rawValue
            }
            let prompt = opening.map { $0 + "\n\n" + turn.prompt } ?? turn.prompt
            opening = nil
            _ = InterruptFlag.take()
            do throws(VQError) {
                try send(ExchangeRequest(prompt: prompt, inputs: turn.images))
                reader.attachments.clear()
            } catch {
                if InterruptFlag.take() {
                    console.notice("stopped (Ctrl-C)")
                    continue
                }
                console.error(error.message)
                if !interactive { return ExitCode(error.category).rawValue }
            }
        }
        return ExitCode.success.rawValue
    }
}
