import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking read/write helpers over a connected socket descriptor.
struct SocketIO {
    let fd: Int32

    /// Writes everything or returns false (peer gone). Never raises SIGPIPE.
    @discardableResult
    func writeAll(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Reads what is available (blocking for at least one byte); nil at EOF or error.
    func readSome(max: Int = 64 * 1024) -> Data? {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = recv(fd, &buffer, max, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            return Data(buffer[0..<n])
        }
    }
}
