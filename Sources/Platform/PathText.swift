import Glibc

/// File-path text as Foundation's NSString path methods computed it (no file-system access, except the home
/// directory for `~`).
public enum PathText {
    /// The last component: `/a/b/` → `b`, `/` → `/`, `` → ``.
    public static func lastComponent(_ path: String) -> String {
        if path.count > 1 && path.allSatisfy({ $0 == "/" }) { return "" }  // as NSString answered for "//"
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Without the last component: `/a/b` → `/a`, `/a` → `/`, `a` → ``.
    public static func deletingLastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let parent = withoutTrailingSlashes(String(trimmed[..<slash]))
        return parent.isEmpty ? "/" : parent
    }

    /// `component` appended with one slash between: `a` + `b` → `a/b`, `` + `b/` → `b/`, `/` + `b` → `/b`.
    public static func appending(_ path: String, _ component: String) -> String {
        if path.isEmpty { return component }
        if component.isEmpty { return path }
        let base = path.hasSuffix("/") ? path : path + "/"
        return base + component.drop { $0 == "/" }
    }

    /// The extension of the last component, without the dot (`` for none, and for names starting with the dot).
    public static func fileExtension(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Without the extension of the last component: `/x/a.jpg` → `/x/a`.
    public static func deletingExtension(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        let ext = fileExtension(trimmed)
        return ext.isEmpty ? trimmed : String(trimmed.dropLast(ext.count + 1))
    }

    /// `~` and `~/…` with the home directory in front (`~user` stays as it is).
    public static func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return withoutTrailingSlashes(SystemDirectories.home + path.dropFirst())
    }

    /// An absolute path without `.`, `..` (resolved textually), repeated or trailing slashes; `~` expanded.
    /// Relative paths only lose `.` components and repeated slashes.
    public static func standardizing(_ path: String) -> String {
        let expanded = expandingTilde(path)
        let absolute = expanded.hasPrefix("/")
        var parts: [Substring] = []
        for part in expanded.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", absolute {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
