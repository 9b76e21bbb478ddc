import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// Which local files an MCP call may read: those inside the roots the client declared or the `[mcp] allow`
/// directories, symbolic links resolved first so that a link cannot lead outside. URLs pass (the service or vq
/// downloads them as for `vq`); standard input is the protocol stream and never an input.
struct MCPFileAccess: Sendable {
    /// Real paths of the directories files may come from.
    let directories: [String]
    /// Where a relative path is taken from: the first root, else the server's working directory.
    let base: String

    /// `roots` are the client's root URIs (`file:///…`) or paths; `allow` the config's directories.
    init(roots: [String], allow: [String], workingDirectory: String = FileManager.default.currentDirectoryPath) {
        let rootPaths = roots.compactMap(Self.path(fromURI:))
        directories = (rootPaths + allow).map(Self.realPath)
        base = rootPaths.first.map(Self.realPath) ?? workingDirectory
    }

    /// The argument to hand to the input loader: a URL as given, a path resolved and checked.
    func resolve(_ argument: String) throws(VQError) -> String {
        if argument == "-" {
            throw VQError(.usage, "'-': standard input carries the MCP messages; pass a path, a URL or inline image content")
        }
        if InputLoader.isURL(argument) { return argument }
        let lower = argument.lowercased()
        var path = argument
        if lower.hasPrefix("file:") {
            guard let decoded = Self.path(fromURI: argument) else { throw VQError(.usage, "\(argument): not a file URI this server can read") }
            path = decoded
        } else if let colon = argument.firstRange(of: "://"), !argument[..<colon.lowerBound].containsScalars("/") {
            throw VQError(.usage, "\(argument): only http(s) URLs, file URIs and paths are inputs")
        }
        if !path.hasPrefix("/") { path = PathText.appending(base, path) }
        let real = Self.realPath(path)
        guard directories.contains(where: { real == $0 || real.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else {
            let reason =
                directories.isEmpty
                ? "the client declared no roots and [mcp] allow lists no directories" : "it is outside the client's roots and the [mcp] allow directories"
            throw VQError(.usage, "\(argument): not read: \(reason)")
        }
        return real
    }

    /// The path of a `file://` URI (percent-decoded), or a plain absolute path as it is.
    static func path(fromURI uri: String) -> String? {
        if uri.hasPrefix("/") { return uri }
        guard let url = URL(string: uri), url.scheme?.lowercased() == "file", url.host == nil || url.host == "" || url.host == "localhost" else {
            return nil
        }
        let path = url.path
        return path.isEmpty ? nil : path
    }

    /// `path` with symbolic links and `..` resolved; for a missing file, its parent resolved and the name kept.
    static func realPath(_ path: String) -> String {
        let standard = PathText.standardizing(path)
        if let resolved = realpath(standard, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let parent = PathText.deletingLastComponent(standard)
        guard parent != standard, !parent.isEmpty else { return standard }
        return PathText.appending(realPath(parent), PathText.lastComponent(standard))
    }
}
