import Glibc

/// The home and temporary directories, as Foundation's NSHomeDirectory() and NSTemporaryDirectory() found them.
public enum SystemDirectories {
    /// $HOME when set, else the password database's entry for this user, else `/`.
    public static var home: String {
        if let value = getenv("HOME"), value.pointee != 0 { return String(cString: value) }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return String(cString: directory) }
        return "/"
    }

    /// $TMPDIR when set, else `/tmp/`; always ending in `/`.
    public static var temporary: String {
        guard let value = getenv("TMPDIR"), value.pointee != 0 else { return "/tmp/" }
        let directory = String(cString: value)
        return directory.hasSuffix("/") ? directory : directory + "/"
    }
}
