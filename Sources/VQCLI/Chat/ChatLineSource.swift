import FoundationEssentials

/// Where `vq chat` reads its lines from: the line editor on a terminal, plain lines otherwise.
protocol ChatLineSource: AnyObject {
    /// Reads one entry after showing `prompt` (plain text; the source adds colour if it may).
    func read(prompt: String) -> LineEditorEntry
    /// Keeps an entry for recall with Up (a no-op without a line editor).
    func remember(_ entry: String)
    /// Runs `body` (a program that takes the terminal over: `$EDITOR`) with the terminal as vq found it.
    func lendTerminal<T>(_ body: () -> T) -> T
    /// A person types here (the prompt is shown and Ctrl-C at it gives a fresh prompt).
    var isInteractive: Bool { get }
}
