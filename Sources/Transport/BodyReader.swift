import FoundationEssentials
import Glibc

/// Produces a request body from its parts into caller buffers, base64-encoding on the fly.
struct BodyReader {
    private let parts: [BodyPart]
    private var partIndex = 0
    /// Offset into the current part's source bytes.
    private var sourceOffset = 0
    /// Encoded bytes produced but not yet handed out (only when a buffer is too small for a base64 quantum).
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    /// The open file of the current `.file` part.
    private var file: FileDescriptor?

    init(parts: [BodyPart]) { self.parts = parts }

    /// Back to the first byte (for a redirect that re-sends the body, or curl rewinding).
    mutating func rewind() {
        partIndex = 0
        sourceOffset = 0
        pending = []
        pendingOffset = 0
        file = nil
    }

    /// Fills `buffer` as far as possible; returns the byte count written, 0 at the end of the body.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var written = 0
        while written < buffer.count {
            if pendingOffset < pending.count {
                let n = min(pending.count - pendingOffset, buffer.count - written)
                pending.withUnsafeBytes { src in
                    buffer.baseAddress!.advanced(by: written).copyMemory(from: src.baseAddress! + pendingOffset, byteCount: n)
                }
                pendingOffset += n
                written += n
                continue
            }
            guard partIndex < parts.count else { break }
            let space = UnsafeMutableRawBufferPointer(rebasing: buffer[written...])
            switch parts[partIndex] {
            case .bytes(let data), .binary(let data):
                let n = min(data.count - sourceOffset, space.count)
                if n > 0 {
                    data.withUnsafeBytes { src in
                        space.baseAddress!.copyMemory(from: src.baseAddress! + sourceOffset, byteCount: n)
                    }
                }
                sourceOffset += n
                written += n
            case .file(let path, let length):
                if file == nil { file = FileDescriptor(path: path) }
                let want = min(length - sourceOffset, space.count)
                let n = file.map { pread($0.fd, space.baseAddress!, want, off_t(sourceOffset)) } ?? -1
                guard n > 0 else {
                    sourceOffset = length
                    break
                }  // vanished or shorter than declared: curl reports the short body
                sourceOffset += n
                written += n
            case .base64(let data):
                let remaining = data.count - sourceOffset
                if space.count >= 4 {
                    // Whole 3-byte groups that fit, or the final (possibly padded) group.
                    let take = min(remaining, (space.count / 4) * 3)
                    let n = data.withUnsafeBytes { src in
                        Base64Encoder.encode(UnsafeRawBufferPointer(rebasing: src[sourceOffset..<sourceOffset + take]), into: space)
                    }
                    sourceOffset += take
                    written += n
                } else {
                    let take = min(remaining, 3)
                    pending = [UInt8](repeating: 0, count: 4 * ((take + 2) / 3))
                    pendingOffset = 0
                    data.withUnsafeBytes { src in
                        pending.withUnsafeMutableBytes { dst in
                            _ = Base64Encoder.encode(UnsafeRawBufferPointer(rebasing: src[sourceOffset..<sourceOffset + take]), into: dst)
                        }
                    }
                    sourceOffset += take
                }
            }
            if sourceOffset >= parts[partIndex].sourceCount {
                partIndex += 1
                sourceOffset = 0
                file = nil
            }
        }
        return written
    }
}

extension BodyPart {
    /// Length of the source bytes (before any encoding).
    var sourceCount: Int {
        switch self {
        case .bytes(let data), .binary(let data), .base64(let data): data.count
        case .file(_, let length): length
        }
    }
}

/// An open file for reading, closed when the last copy is released.
private final class FileDescriptor {
    let fd: Int32
    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
    }
    deinit { close(fd) }
}
