import FoundationEssentials
import Glibc
import Platform
import TextFormatting
import VisionQuery

/// `/edit`: composes a prompt in `$VISUAL`, else `$EDITOR`, else `vi`, in a private temporary file.
enum ExternalEditor {
    /// The text written in the editor (trailing blank lines dropped; empty when nothing was written), or why not.
    static func compose(environment: [String: String]) throws(VQError) -> String {
        let command = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        var template = Array((SystemDirectories.temporary + "/vq-prompt-XXXXXX.md").utf8CString)
        let fd = mkstemps(&template, 3)  // created 0600
        guard fd >= 0 else { throw VQError(.cannotCreate, "cannot create a file to edit the prompt in: \(ErrnoText.current)") }
        close(fd)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        // Through the shell, as git and crontab do, so EDITOR may carry arguments ("code --wait"); system() runs it in
        // vq's process group, in the foreground of the terminal, which a full-screen editor needs.
        let status = system(command + " '" + path + "'")
        guard status == 0 else {
            throw VQError(.config, "the editor '\(command)' failed (status \(status >> 8)); nothing sent")
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.reversed().drop { $0.isWhitespace }.reversed())
    }
}
