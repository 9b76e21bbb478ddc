import FoundationEssentials
import Glibc
import TextFormatting

/// Reads a file of lines (a shard's output, an input list) in blocks of 1 MiB, whatever its size.
enum FileLines {
    /// Calls `body` with each line of the file at `path` (without its separator), reading it in blocks.
    static func forEachLine(of path: String, separatedBy separator: UInt8 = 0x0A, _ body: (Data) throws(VQError) -> Void) throws(VQError) {
        try withOpened(path) { (fd) throws(VQError) in try forEachLine(of: fd, name: path, separatedBy: separator, body) }
    }

    /// Calls `body` with each line read from the open descriptor `fd` (standard input), named `name` in errors.
    static func forEachLine(
        of fd: Int32, name: String, separatedBy separator: UInt8 = 0x0A, _ body: (Data) throws(VQError) -> Void
    ) throws(VQError) {
        try forEachBlock(of: fd, name: name) { (block, pending) throws(VQError) in
            pending.append(block)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: separator) {
                try body(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(pending.startIndex..<start)
        } end: { (pending) throws(VQError) in
            if !pending.isEmpty { try body(pending) }
        }
    }

    /// Reads the file at `path` in blocks of 1 MiB, handing each with a buffer the caller keeps between blocks.
    static func forEachBlock(
        of path: String, _ body: (Data, inout Data) throws(VQError) -> Void, end: (Data) throws(VQError) -> Void
    ) throws(VQError) {
        try withOpened(path) { (fd) throws(VQError) in try forEachBlock(of: fd, name: path, body, end: end) }
    }

    /// Runs `body` with the file at `path` open for reading, closed afterwards.
    private static func withOpened(_ path: String, _ body: (Int32) throws(VQError) -> Void) throws(VQError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VQError(.inputMissing, "\(path): cannot open: \(ErrnoText.current)") }
        defer { close(fd) }
        try body(fd)
    }

    /// Reads `fd` to its end in blocks of 1 MiB, as `forEachBlock(of:_:end:)` reads a file.
    private static func forEachBlock(
        of fd: Int32, name path: String, _ body: (Data, inout Data) throws(VQError) -> Void, end: (Data) throws(VQError) -> Void
    ) throws(VQError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var pending = Data()
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw VQError(.inputMissing, "\(path): cannot read: \(ErrnoText.current)")
            }
            if count == 0 { break }
            try body(Data(buffer[0..<count]), &pending)
        }
        try end(pending)
    }
}
