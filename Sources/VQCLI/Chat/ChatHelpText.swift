import TextFormatting
import VisionQuery

/// What `/help` shows in `vq chat`: the commands (from ChatInput's list) and the keys of the line editor.
enum ChatHelpText {
    static func render(editing: Bool) -> String {
        var lines = ChatInput.commands.map { command in
            let usage = command.argument.isEmpty ? command.name : "\(command.name) \(command.argument)"
            return "  " + usage.padded(toLength: 14) + command.summary
        }
        lines.append("  //TEXT        send TEXT starting with '/'")
        if editing {
            lines += [
                "keys: Up/Down recall earlier prompts (kept across sessions), Tab completes commands and /image paths,",
                "      a paste of several lines is one turn, Ctrl-C stops an answer or clears the line, Ctrl-D leaves",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
