import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Listening and connecting TCP sockets on 127.0.0.1, and a two-way byte relay, for the tests' TLS server and proxy.
enum LoopbackSocket {
    /// A listening socket on an ephemeral loopback port.
    static func listen() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            let error = LoopbackServerError.socket("bind/listen", errno)
            close(fd)
            throw error
        }
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket connected to 127.0.0.1:`port`, or nil when nothing listens there.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Accepts connections on `listener` until it is shut down, each served on its own thread.
    static func acceptLoop(_ listener: Int32, name: String, serve: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    close(listener)
                    return
                }
                let connection = Thread { serve(fd) }
                connection.name = name + ".connection"
                connection.start()
            }
        }
        thread.name = name
        thread.start()
    }

    /// Copies bytes both ways between two plain sockets until either side closes; closes neither.
    static func relay(_ a: Int32, _ b: Int32) {
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            guard poll(&fds, 2, -1) > 0 else { if errno == EINTR { continue } else { return } }
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let n = recv(entry.fd, &buffer, buffer.count, 0)
                if n <= 0 { return }
                guard SocketIO(fd: fds[1 - index].fd).writeAll(Data(buffer[0..<n])) else { return }
            }
        }
    }
}
