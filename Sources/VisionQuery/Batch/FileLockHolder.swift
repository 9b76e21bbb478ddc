import FoundationEssentials
import Glibc

/// Which process holds the flock(2) on a file, from Linux's /proc/locks (nil elsewhere, or when the holder is on
/// another machine of a network file system).
enum FileLockHolder {
    /// The pid holding a write flock on the file open as `fd`.
    static func pid(of fd: Int32) -> Int32? {
        var info = stat()
        guard fstat(fd, &info) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        return pid(in: table, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Parses lines such as `1: FLOCK  ADVISORY  WRITE 9567 fe:00:16222990 0 EOF` (device as hex major:minor);
    /// waiting requests (`1: -> FLOCK …`) are skipped.
    static func pid(in table: String, device: UInt64, inode: UInt64) -> Int32? {
        // glibc's dev_t encoding of major and minor numbers.
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)
        let minor = (device & 0xff) | ((device >> 12) & ~0xff)
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[3] == "WRITE" else { continue }
            let file = fields[5].split(separator: ":")
            guard file.count == 3, UInt64(file[0], radix: 16) == major, UInt64(file[1], radix: 16) == minor,
                UInt64(file[2]) == inode
            else { continue }
            return Int32(fields[4])
        }
        return nil
    }
}
