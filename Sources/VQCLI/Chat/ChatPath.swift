/// Paths typed at the chat prompt: `~/` means the home directory, as in a shell.
enum ChatPath {
    static func expand(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst()
    }
}
