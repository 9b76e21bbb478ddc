import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 with scripted handlers, for tests.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (RecordedRequest, ResponseWriter) -> Void

    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let state: ServerState

    /// Binds an ephemeral loopback port and starts accepting connections.
    public init(handler: @escaping Handler) throws {
        let fd = try Self.bindLoopback()
        guard listen(fd, 64) == 0 else {
            let error = LoopbackServerError.socket("listen", errno)
            close(fd)
            throw error
        }
        port = try Self.localPort(of: fd)
        state = ServerState(listener: fd, handler: handler)
        let state = self.state
        let thread = Thread { state.acceptLoop() }
        thread.name = "LoopbackHTTPServer.accept"
        thread.start()
    }

    deinit { state.stop() }

    /// Requests received so far, in arrival order.
    public var requests: [RecordedRequest] { state.recorded }

    /// Connections accepted so far (to check keep-alive reuse).
    public var connectionCount: Int { state.accepted }

    /// Closes the listener and every live connection.
    public func stop() { state.stop() }

    /// A loopback port that nothing listens on (bound, then closed), for connection-refused tests.
    public static func closedPort() throws -> Int {
        let fd = try bindLoopback()
        defer { close(fd) }
        return try localPort(of: fd)
    }

    private static func bindLoopback() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackServerError.socket("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let error = LoopbackServerError.socket("bind", errno)
            close(fd)
            throw error
        }
        return fd
    }

    private static func localPort(of fd: Int32) throws -> Int {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard rc == 0 else { throw LoopbackServerError.socket("getsockname", errno) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// Why the loopback server could not start.
public enum LoopbackServerError: Error, CustomStringConvertible {
    case socket(String, Int32)
    public var description: String {
        switch self {
        case .socket(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

/// Shared, lock-protected state of one server: descriptors, recorded requests, the handler.
private final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var listener: Int32
    private var connections: Set<Int32> = []
    private var stopped = false
    private var requests: [RecordedRequest] = []
    private var acceptedCount = 0
    private let handler: LoopbackHTTPServer.Handler

    init(listener: Int32, handler: @escaping LoopbackHTTPServer.Handler) {
        self.listener = listener
        self.handler = handler
    }

    var recorded: [RecordedRequest] { lock.withLock { requests } }
    var accepted: Int { lock.withLock { acceptedCount } }

    /// Shuts sockets down so blocked accept/recv/poll calls return; their threads close the descriptors.
    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break
            }
            let admitted = lock.withLock { () -> Bool in
                if stopped { return false }
                connections.insert(fd)
                acceptedCount += 1
                return true
            }
            guard admitted else {
                close(fd)
                break
            }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "LoopbackHTTPServer.connection"
            thread.start()
        }
        lock.withLock {
            close(listener)
            listener = -1
        }
    }

    private func serve(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var reader = HTTPRequestReader(io: SocketIO(fd: fd))
        while let request = reader.next() {
            lock.withLock { requests.append(request) }
            let closeAfter = request.header("connection")?.lowercased().contains("close") == true
            let writer = ResponseWriter(fd: fd, closeAfter: closeAfter)
            handler(request, writer)
            if !writer.hasResponded {
                writer.respond(status: 500, body: Data("handler wrote no response\n".utf8))
            }
            if !writer.reusable { break }
        }
        lock.withLock {
            connections.remove(fd)
            close(fd)
        }
    }
}
