import FoundationEssentials
import Glibc
import TextFormatting

/// Reads a file of lines (a shard's output, an input list) in blocks of 1 MiB, whatever its size.
enum FileLines {
    /// Calls `body` with each line of the file at `path` (without its separator), reading it in blocks.
    static func forEachLine(of path: String, separatedBy separator: UInt8 = 0x0A, _ body: (Data) throws(VQError) -> Void) throws(VQError) {
        try forEachBlock(of: path) { (block, pending) throws(VQError) in
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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw VQError(.inputMissing, "\(path): cannot open: \(ErrnoText.current)") }
        defer { close(fd) }
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
