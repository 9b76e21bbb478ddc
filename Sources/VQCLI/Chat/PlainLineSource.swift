import FoundationEssentials
import Glibc
import Interrupts

/// Lines of standard input, one per read: a pipe (line per turn, no prompt), or a terminal vq cannot edit on
/// (`TERM=dumb`, libedit missing), where the prompt is shown and Ctrl-C at it gives a fresh prompt.
final class PlainLineSource: ChatLineSource {
    let isInteractive: Bool
    private let console: Console

    init(console: Console, interactive: Bool) {
        self.console = console
        isInteractive = interactive
    }

    func read(prompt: String) -> LineEditorEntry {
        if isInteractive {
            console.prompt(prompt)
            // Reading only once input is there keeps a read from being cut by Ctrl-C.
            if !Self.waitForInput() {
                console.prompt("\n")
                return .interrupted
            }
        }
        guard let line = readLine(strippingNewline: true) else {
            if isInteractive { console.prompt("\n") }
            return .end
        }
        return .typed(line)
    }

    func remember(_ entry: String) {}

    func lendTerminal<T>(_ body: () -> T) -> T { body() }

    /// Waits until standard input has a line (or end of input) to read: true, or false when Ctrl-C was pressed first.
    private static func waitForInput() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while true {
            if InterruptFlag.take() { return false }
            if poll(&descriptor, 1, 100) > 0 { return true }
        }
    }
}
