import FoundationEssentials

/// Lines from the line editor (libedit) on a terminal, with history kept across sessions and a dim prompt marker.
final class EditedLineSource: ChatLineSource {
    let isInteractive = true
    private let editor: LineEditor
    private let console: Console
    private let colored: Bool

    init(editor: LineEditor, console: Console, colored: Bool) {
        self.editor = editor
        self.console = console
        self.colored = colored
    }

    func read(prompt: String) -> LineEditorEntry {
        // The prompt marker is dim so prompts stand apart from answers; \u{1} brackets take no width. The reset goes
        // before the prompt's last character: libedit drops an escape that ends the prompt.
        let shown =
            colored
            ? "\u{1}\(TerminalStyle.dim)\u{1}\(prompt.dropLast())\u{1}\(TerminalStyle.reset)\u{1}\(prompt.suffix(1))" : prompt
        let entry = editor.read(prompt: shown)
        if entry == .end { console.prompt("\n") }
        return entry
    }

    func remember(_ entry: String) {
        if let problem = editor.remember(entry) { console.warning(problem) }
    }

    func lendTerminal<T>(_ body: () -> T) -> T { editor.lendTerminal(body) }
}
