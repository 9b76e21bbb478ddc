import FoundationEssentials

/// Canonical spellings of batch inputs: one string per file or URL however it was written.
public enum CanonicalInput {
    /// A URL normalised, or a path made absolute and normalised (against the current directory).
    public static func identity(_ input: String) -> String {
        InputLoader.isURL(input) ? url(input) : path(input, relativeTo: FileManager.default.currentDirectoryPath)
    }

    /// `path` made absolute against `directory`, with empty and `.` components removed and `..` applied
    /// lexically (symbolic links are not followed, so the result is the same wherever the files are mounted alike).
    public static func path(_ path: String, relativeTo directory: String) -> String {
        if isNormalAbsolute(path) { return path }  // most listed paths (`find /data -type f`): nothing to do
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var components: [Substring] = []
        for component in full.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Whether `path` is absolute with no empty, `.` or `..` component and no trailing slash: already canonical.
    static func isNormalAbsolute(_ path: String) -> Bool {
        var bytes = path.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "/") else { return false }
        // Length of the current component so far, and whether it is all dots (then 1 or 2 of them is not normal).
        var length = 0
        var dots = true
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "/") {
                if length == 0 || (dots && length <= 2) { return false }
                length = 0
                dots = true
            } else {
                length += 1
                dots = dots && byte == UInt8(ascii: ".")
            }
        }
        return length > 0 && !(dots && length <= 2)
    }

    /// Scheme and host lower-cased, the scheme's default port and the fragment dropped, an empty path made `/`.
    public static func url(_ text: String) -> String {
        guard var parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased() else { return text }
        parts.scheme = scheme
        parts.host = parts.host?.lowercased()
        if (scheme == "http" && parts.port == 80) || (scheme == "https" && parts.port == 443) { parts.port = nil }
        parts.fragment = nil
        if parts.percentEncodedPath.isEmpty { parts.percentEncodedPath = "/" }
        return parts.string ?? text
    }

    /// A path found walking a directory, relative to it, without `./` or doubled slashes.
    public static func relative(_ relative: String) -> String {
        relative.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.joined(separator: "/")
    }
}
