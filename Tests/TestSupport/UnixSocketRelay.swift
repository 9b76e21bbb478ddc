import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix domain socket that relays every connection to a loopback TCP port, so any stub server can be reached
/// the way local model servers often are (`base_url = "unix:///path/to.sock"`).
public final class UnixSocketRelay: @unchecked Sendable {
    public let path: String
    private let listener: Int32
    private let lock = NSLock()
    private var connections = 0

    public init(path: String, upstreamPort: Int) throws {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError.socket("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw LoopbackServerError.socket("path too long", ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let error = LoopbackServerError.socket("bind/listen \(path)", errno)
            close(fd)
            throw error
        }
        listener = fd
        LoopbackSocket.acceptLoop(fd, name: "UnixSocketRelay") { [self] client in
            lock.withLock { connections += 1 }
            defer { close(client) }
            guard let upstream = LoopbackSocket.connect(port: upstreamPort) else { return }
            defer { close(upstream) }
            LoopbackSocket.relay(client, upstream)
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    /// Connections accepted on the socket.
    public var connectionCount: Int { lock.withLock { connections } }
}
