import FoundationEssentials
import TextFormatting
import VisionQuery

/// Decides which argument is the prompt.
///
/// The rule: the first argument is the prompt, unless standard input is not a terminal, no argument
/// is `-`, and the first argument names an existing file or an http(s) URL. Then every argument is an
/// image and the prompt is read from standard input. When standard input is a terminal and every argument is an
/// image (an image file or a URL), the prompt was forgotten: that is an error, not a prompt named like a file.
public enum PromptSource {
    public static func split(
        _ positionals: [String], stdinIsTerminal: Bool, readStdin: () -> Data,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) },
        isImageFile: (String) -> Bool = { InputLoader.sniffFile($0) == true }
    )
        throws(VQError) -> (prompt: String, images: [String])
    {
        guard let first = positionals.first else {
            throw VQError(.usage, "missing PROMPT; usage: vq [OPTIONS] PROMPT [IMAGE ...] (see 'vq --help')")
        }
        let firstIsImage = InputLoader.isURL(first) || fileExists(first)
        if !stdinIsTerminal && !positionals.contains("-") && firstIsImage {
            let prompt = String(decoding: readStdin(), as: UTF8.self).trimmingWhitespaceAndNewlines()
            guard !prompt.isEmpty else {
                throw VQError(.usage, "missing PROMPT: '\(first)' is an image and standard input was empty; give the prompt first: vq \"PROMPT\" \(first)")
            }
            return (prompt, positionals)
        }
        if stdinIsTerminal && positionals.allSatisfy({ InputLoader.isURL($0) || isImageFile($0) }) {
            let images = positionals.joined(separator: " ")
            throw VQError(.usage, "missing PROMPT: every argument is an image (\(images)); give the prompt first: vq \"PROMPT\" \(images)")
        }
        if first.trimmingWhitespaceAndNewlines().isEmpty {
            throw VQError(.usage, "the PROMPT is empty")
        }
        return (first, Array(positionals.dropFirst()))
    }
}
