import FoundationEssentials
import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a secret: on a terminal, after a prompt on stderr with echo turned off (restored even on error); otherwise
/// the first line of standard input.
enum SecretPrompt {
    static func read(prompt: String, console: Console) -> String {
        guard Console.isTerminal(STDIN_FILENO) else {
            let data = FileIO.readStandardInput()
            return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        console.prompt(prompt)
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var hidden = saved
            hidden.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        defer {
            if canHide { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            console.prompt("\n")
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
