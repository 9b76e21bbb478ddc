import Dispatch
import FoundationEssentials
import Platform
import TextFormatting
import Transport

#if canImport(Glibc)
    import Glibc
#endif

/// `vq mcp --http PORT`: the streamable HTTP transport on 127.0.0.1 only, one endpoint (`/mcp`). A POST carries one
/// JSON-RPC message: initialize opens a session (`Mcp-Session-Id`, each an `MCPServer` of its own, at most
/// `maxSessions`, the oldest closed first), a tools/call is answered as an event stream (progress, then the result)
/// when the client accepts one, other requests as JSON, notifications and responses with 202. GET (no server-initiated
/// stream) is 405, DELETE ends the session. An `Origin` other than a loopback one is refused (DNS rebinding), and a
/// connection is bounded: its head, its body, its idle time, and at most `maxConnections` are served at once.
public final class MCPHTTPServer: @unchecked Sendable {
    public static let endpoint = "/mcp"
    static let maxConnections = 4
    static let maxSessions = 8
    /// How long a connection may stay silent while its request is read.
    static let readTimeout: Int = 30

    private let makeSession: @Sendable () -> MCPServer
    private let lock = Lock()
    private var sessions: [(id: String, server: MCPServer)] = []
    private let slots = DispatchSemaphore(value: maxConnections)
    private var listener: Int32 = -1

    public init(config: ConfigFile?, environment: [String: String], client: HTTPClient, version: String, log: @escaping @Sendable (String) -> Void) {
        makeSession = { MCPServer(config: config, environment: environment, client: client, version: version, input: -1, log: log) }
    }

    /// Binds 127.0.0.1:`port` (0: any free port); returns the port.
    public func listen(port: Int) throws(VQError) -> Int {
        guard (0...65535).contains(port) else { throw VQError(.usage, "--http \(port): not a port number (1-65535)") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw VQError(.unavailable, "--http: cannot open a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw VQError(.unavailable, "--http \(port): cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        listener = fd
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Accepts connections until the process ends, at most `maxConnections` served at once.
    public func serve() {
        while true {
            slots.wait()
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                slots.signal()
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            var timeout = timeval(tv_sec: Self.readTimeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            BackgroundThread.start { [self] in
                defer {
                    close(fd)
                    slots.signal()
                }
                serve(connection: fd)
            }
        }
    }

    private func serve(connection fd: Int32) {
        let request: MCPHTTPRequest
        do throws(MCPHTTPRequest.Failure) {
            request = try MCPHTTPRequest.read(from: fd, maxBodyBytes: MCPChannel.maxMessageBytes)
        } catch {
            if case .status(let status, let reason) = error { refuse(fd, status, reason) }
            return
        }
        guard request.path == Self.endpoint else { return refuse(fd, 404, "the MCP endpoint is \(Self.endpoint)") }
        if let origin = request.headers["origin"], !Self.isLoopback(origin: origin) {
            return refuse(fd, 403, "origin \(origin) is not allowed: vq mcp answers only pages on this machine")
        }
        if let version = request.headers["mcp-protocol-version"], !MCPServer.protocolVersions.contains(version) {
            return refuse(fd, 400, "unsupported MCP-Protocol-Version \(version)")
        }
        switch request.method {
        case "POST": post(request, fd)
        case "DELETE":
            guard let id = request.headers["mcp-session-id"], let session = endSession(id) else { return refuse(fd, 404, "no such session") }
            session.finish()
            MCPHTTPReply.respond(fd, status: 200)
        default:
            MCPHTTPReply.respond(fd, status: 405, headers: [("Allow", "POST, DELETE")])
        }
    }

    private func post(_ request: MCPHTTPRequest, _ fd: Int32) {
        let streams = request.accepts("text/event-stream")
        guard streams || request.accepts("application/json") else { return refuse(fd, 406, "accept application/json and text/event-stream") }
        let message = JSONRPCMessage.parse(request.body)
        if case .invalid(let id, let error) = message {
            let body: [String: Any] = ["jsonrpc": "2.0", "id": id?.json ?? JSONNull(), "error": error.json]
            return MCPHTTPReply.respond(fd, status: 400, headers: [("Content-Type", "application/json")], body: JSONWriter.data(body))
        }
        if case .request(let id, "initialize", _) = message {
            let (sessionID, session) = openSession()
            let reply = MCPHTTPReply(fd: fd, mode: .json, requestID: id, headers: [("Mcp-Session-Id", sessionID)])
            session.handle(message, output: reply)
            _ = reply.waitForAnswer()
            return
        }
        guard let sessionID = request.headers["mcp-session-id"] else { return refuse(fd, 400, "no Mcp-Session-Id: send initialize first") }
        guard let session = lock.withLock({ sessions.first { $0.id == sessionID }?.server }) else {
            return refuse(fd, 404, "session \(sessionID) has ended; initialize again")
        }
        guard case .request(let id, let method, _) = message else {
            session.handle(message, output: MCPHTTPReply(fd: fd, mode: .none, requestID: nil))
            return MCPHTTPReply.respond(fd, status: 202)
        }
        let reply = MCPHTTPReply(fd: fd, mode: streams && method == "tools/call" ? .stream : .json, requestID: id)
        session.handle(message, output: reply)
        _ = reply.waitForAnswer()
    }

    /// A new session, the oldest closed when there are `maxSessions` already.
    private func openSession() -> (String, MCPServer) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let id = bytes.map { HexText.padded($0, width: 2) }.joined()
        let session = makeSession()
        let evicted: MCPServer? = lock.withLock {
            sessions.append((id, session))
            return sessions.count > Self.maxSessions ? sessions.removeFirst().server : nil
        }
        evicted?.finish()
        return (id, session)
    }

    private func endSession(_ id: String) -> MCPServer? {
        lock.withLock {
            guard let index = sessions.firstIndex(where: { $0.id == id }) else { return nil }
            return sessions.remove(at: index).server
        }
    }

    /// A refusal with the reason as plain text.
    private func refuse(_ fd: Int32, _ status: Int, _ reason: String) {
        MCPHTTPReply.respond(fd, status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data((reason + "\n").utf8))
    }

    /// Whether an `Origin` is a page served from this machine (`http://localhost:3000`, `http://127.0.0.1`, `http://[::1]:8080`).
    static func isLoopback(origin: String) -> Bool {
        guard let url = URL(string: origin), let host = url.host?.lowercased() else { return false }
        return ["localhost", "127.0.0.1", "[::1]", "::1"].contains(host)
    }
}
