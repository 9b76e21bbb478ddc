import Glibc

/// Walks a directory tree with readdir (what FileManager's enumerator did): symbolic links are reported, never
/// followed; unreadable subdirectories are skipped.
public enum DirectoryWalker {
    /// What an entry is, as lstat sees it.
    public enum Kind: Sendable {
        case regular
        case directory
        case other
    }

    /// Calls `visit` with each entry's path relative to `root` and its kind, depth first; descends into a directory
    /// only when `visit` returns true for it. Throws when `root` cannot be read.
    public static func walk(_ root: String, _ visit: (String, Kind) -> Bool) throws(SystemError) {
        guard let directory = opendir(root) else { throw SystemError(errno) }
        walk(directory, root: root.hasSuffix("/") ? root : root + "/", prefix: "", visit)
    }

    private static func walk(_ directory: OpaquePointer, root: String, prefix: String, _ visit: (String, Kind) -> Bool) {
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let relative = prefix + name
            let kind = kind(of: entry.pointee.d_type, path: root + relative)
            if visit(relative, kind), kind == .directory, let child = opendir(root + relative) {
                walk(child, root: root, prefix: relative + "/", visit)
            }
        }
    }

    private static func kind(of type: UInt8, path: String) -> Kind {
        switch Int32(type) {
        case Int32(DT_REG): return .regular
        case Int32(DT_DIR): return .directory
        case Int32(DT_UNKNOWN):
            var info = stat()
            guard lstat(path, &info) == 0 else { return .other }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return .regular
            case S_IFDIR: return .directory
            default: return .other
            }
        default: return .other
        }
    }
}
