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
    /// Source bytes of a `.base64File` part read per call at most (a multiple of 3, so only the last group pads).
    static let base64FileChunk = 3 << 16
    /// The open file of the current `.file` or `.base64File` part.
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
            case .base64File(let path, let length):
                if file == nil { file = FileDescriptor(path: path) }
                let remaining = length - sourceOffset
                let take = space.count >= 4 ? min(remaining, (space.count / 4) * 3, Self.base64FileChunk) : min(remaining, 3)
                var chunk = [UInt8](repeating: 0, count: take)
                let n = file.map { descriptor in chunk.withUnsafeMutableBytes { pread(descriptor.fd, $0.baseAddress!, take, off_t(sourceOffset)) } } ?? -1
                guard n == take else {
                    sourceOffset = length
                    break
                }  // vanished or shorter than declared: curl reports the short body
                if space.count >= 4 {
                    written += chunk.withUnsafeBytes { Base64Encoder.encode($0, into: space) }
                } else {
                    pending = [UInt8](repeating: 0, count: 4 * ((take + 2) / 3))
                    pendingOffset = 0
                    chunk.withUnsafeBytes { src in pending.withUnsafeMutableBytes { _ = Base64Encoder.encode(src, into: $0) } }
                }
                sourceOffset += take
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
        case .file(_, let length), .base64File(_, let length): length
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
