import Foundation
import Interrupts
import VisionQuery

/// The reading side of `vq chat`: one turn per line of standard input, `/image` and `/exit` commands, the input
/// prompt and Ctrl-C on a terminal (a fresh prompt at the prompt; the answer stopped while one is written).
struct ChatLoop {
    let console: Console
    /// Standard input is a terminal: prompts are shown and Ctrl-C is caught.
    let interactive: Bool
    /// The template's prompt, put before the first turn.
    var opening: String?
    /// Inputs waiting for the next turn.
    var inputs: [String]
    /// `--clipboard`: the clipboard's image goes with the first turn.
    var clipboard = false

    /// The chat's output policy: a partial answer still ends its line, so each turn is a line of its own.
    static func policy(_ options: QueryOptions, environment: [String: String]) -> OutputPolicy {
        var policy = OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress)
        policy.endsPartialAnswerLine = true
        return policy
    }

    /// Reads turns until `/exit` or end of input and hands each to `send`; on a pipe a failed turn ends the chat with
    /// its exit code (a script learns which turn failed).
    mutating func run(_ send: (ExchangeRequest) throws(VQError) -> Void, banner: () -> String) -> Int32 {
        if interactive { InterruptFlag.catching(true) }
        defer { if interactive { InterruptFlag.catching(false) } }
        if interactive { console.notice(banner()) }
        if clipboard { inputs.append(InputLoader.clipboardArgument) }
        while true {
            if interactive { console.prompt(inputs.isEmpty ? "> " : "[\(inputs.count) image\(inputs.count == 1 ? "" : "s")] > ") }
            if interactive && !Self.waitForInput() {  // Ctrl-C at the prompt: a fresh prompt, as shells do
                console.prompt("\n")
                continue
            }
            guard let line = readLine(strippingNewline: true) else {
                if interactive { console.prompt("\n") }
                break
            }
            switch ChatInput.parse(line) {
            case .exit: return ExitCode.success.rawValue
            case .empty: continue
            case .image(let path): inputs.append(path)
            case .paste: inputs.append(InputLoader.clipboardArgument)
            case .unknownCommand(let message): console.warning(message)
            case .turn(let typed):
                let prompt = opening.map { $0 + "\n\n" + typed } ?? typed
                opening = nil
                defer { inputs = [] }
                _ = InterruptFlag.take()
                do throws(VQError) {
                    try send(ExchangeRequest(prompt: prompt, inputs: inputs))
                } catch {
                    if InterruptFlag.take() {
                        console.notice("stopped (Ctrl-C)")
                        continue
                    }
                    console.error(error.message)
                    if !interactive { return ExitCode(error.category).rawValue }
                }
            }
        }
        return ExitCode.success.rawValue
    }

    /// Waits until standard input has a line (or end of input) to read: true, or false when Ctrl-C was pressed first.
    /// Reading only then keeps a read from being cut by the signal.
    private static func waitForInput() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while true {
            if InterruptFlag.take() { return false }
            if poll(&descriptor, 1, 100) > 0 { return true }
        }
    }
}
