internal import CShims
import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// What one read from the line editor gave.
enum LineEditorEntry: Equatable {
    /// A line typed and ended with Enter (a recalled multi-line entry keeps its line breaks).
    case typed(String)
    /// A bracketed paste that held a line break, whole (with what was typed before it): one turn.
    case pasted(String)
    /// Ctrl-C at the prompt.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
}

/// Line editing for `vq chat` on a terminal: libedit (loaded on first use) with history kept in a file, bracketed
/// paste and Tab completion. Wraps `vq_line_editor` in CShims.
final class LineEditor {
    private let editor: OpaquePointer
    private let historyPath: String?
    /// Completes the text before the cursor: what to insert there, and the candidates to list.
    private let completer: Box

    /// The completion function, kept alive for the C callback.
    private final class Box {
        let complete: (String) -> (insertion: String, candidates: [String])
        init(_ complete: @escaping (String) -> (insertion: String, candidates: [String])) { self.complete = complete }
    }

    /// How many entries the history keeps.
    static let historySize: Int32 = 1000

    /// Opens libedit on stdin/stderr, loading the history from `historyPath` (created, 0600, when first saved).
    /// Throws the reason line editing is unavailable (libedit missing).
    init(historyPath: String?, complete: @escaping (String) -> (insertion: String, candidates: [String])) throws(LineEditorUnavailable) {
        var message = [CChar](repeating: 0, count: 256)
        if vq_line_editor_load(&message) != 0 {
            throw LineEditorUnavailable(reason: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        guard let editor = vq_line_editor_open("vq", Self.historySize) else {
            throw LineEditorUnavailable(reason: "libedit could not start on this terminal")
        }
        self.editor = editor
        self.historyPath = historyPath
        completer = Box(complete)
        vq_line_editor_set_completer(editor, Self.callback, Unmanaged.passUnretained(completer).toOpaque())
        if let historyPath { _ = vq_line_editor_load_history(editor, historyPath) }
    }

    deinit { vq_line_editor_close(editor) }

    /// Reads one entry after showing `prompt`; escape sequences in the prompt go between `\u{1}` bytes.
    func read(prompt: String) -> LineEditorEntry {
        vq_line_editor_set_prompt(editor, prompt)
        var kind: Int32 = 0
        let text = vq_line_editor_read(editor, &kind)
        defer { free(text) }
        let string = text.map { String(cString: $0) } ?? ""
        switch Int(kind) {
        case Int(VQ_LINE_TYPED): return .typed(string)
        case Int(VQ_LINE_PASTED): return .pasted(string)
        case Int(VQ_LINE_INTERRUPTED): return .interrupted
        default: return .end
        }
    }

    /// Adds an entry to the history and to the history file at once, so another session recalls it even if this one
    /// ends abruptly; the file is merged, not replaced, so two chats at once both keep their lines. Returns an error
    /// line when the file could not be written.
    @discardableResult
    func remember(_ entry: String) -> String? {
        vq_line_editor_remember(editor, entry)
        guard let historyPath else { return nil }
        let directory = PathText.deletingLastComponent(historyPath)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if vq_line_editor_append_history(editor, historyPath, entry) != 0 {
            return "\(historyPath): cannot save the chat history: \(ErrnoText.current)"
        }
        return nil
    }

    /// Runs `body` with the terminal as vq found it (for `$EDITOR`), then holds it for type-ahead again.
    func lendTerminal<T>(_ body: () -> T) -> T {
        vq_line_editor_lend_terminal(editor, 1)
        defer { vq_line_editor_lend_terminal(editor, 0) }
        return body()
    }

    private static let callback: vq_line_completer = { context, beforeCursor, listing in
        guard let context, let beforeCursor else { return nil }
        let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
        let (insertion, candidates) = box.complete(String(cString: beforeCursor))
        if !candidates.isEmpty { listing?.pointee = strdup(candidates.joined(separator: "\n")) }
        return insertion.isEmpty ? nil : strdup(insertion)
    }
}

/// Why the line editor could not start (chat then reads plain lines).
struct LineEditorUnavailable: Error {
    let reason: String
}
