import Glibc

/// An `errno` value as the short reason vq prints ("no such file or directory"): the one place errno becomes text.
public enum ErrnoText {
    public static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }

    /// The reason for the calling thread's current `errno`.
    public static var current: String { reason(errno) }
}
