import FoundationEssentials
import Glibc
import Platform

/// The stdio transport: newline-delimited JSON-RPC messages read from one file descriptor (bounded per line) and
/// written whole, one line each, to another; writes from the reader and the call worker never interleave.
final class MCPChannel: MCPOutput, @unchecked Sendable {
    /// The longest message read: inline images arrive base64-encoded inside one line.
    static let maxMessageBytes = 64 << 20
    private let input: Int32
    private let output: Int32
    private let writeLock = Lock()
    private var buffer = Data()
    private var atEnd = false
    private var outputGone = false

    init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// What one read of the stream gave.
    enum Line {
        case message(Data)
        /// A line longer than `maxMessageBytes` was skipped.
        case tooLong
        case end
    }

    /// The next non-empty line; blocks until one is complete or the stream ends.
    func readLine() -> Line {
        var skipping = false
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                if skipping { return .tooLong }
                let trimmed = line.last == 0x0D ? line.dropLast() : line
                if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                return .message(Data(trimmed))
            }
            if buffer.count > Self.maxMessageBytes {
                buffer.removeAll(keepingCapacity: false)
                skipping = true
            }
            if atEnd {
                if buffer.isEmpty || skipping { return skipping ? .tooLong : .end }
                let last = buffer
                buffer.removeAll()
                return .message(last)
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 {
                atEnd = true
                continue
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes one message as a line; false once the client stopped reading.
    @discardableResult func send(_ message: [String: Any]) -> Bool {
        // vq's own writer: JSONSerialization's runtime type checks cost more than the rest of an ask.
        var line = JSONWriter.data(message)
        line.append(0x0A)
        return writeLock.withLock {
            if outputGone { return false }
            let written = FileDescriptorWriter.writeAll(output, line)
            if !written { outputGone = true }
            return written
        }
    }

    /// Whether a write failed (the client went away).
    var isGone: Bool { writeLock.withLock { outputGone } }
}
