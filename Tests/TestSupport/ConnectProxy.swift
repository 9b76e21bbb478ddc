import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP CONNECT proxy on 127.0.0.1: opens a tunnel to the loopback port asked for and relays bytes, or
/// refuses as real proxies do (407 without the right Proxy-Authorization, 403 by policy).
public final class ConnectProxy: @unchecked Sendable {
    /// How the proxy answers CONNECT.
    public enum Policy: Sendable {
        case open
        /// 407 unless `Proxy-Authorization: Basic base64(user:password)` is sent.
        case login(user: String, password: String)
        /// 403 for every tunnel.
        case deny
    }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let policy: Policy
    private let lock = NSLock()
    private var targets: [String] = []
    private var statuses: [Int] = []

    public init(policy: Policy = .open) throws {
        self.policy = policy
        (listener, port) = try LoopbackSocket.listen()
        LoopbackSocket.acceptLoop(listener, name: "ConnectProxy") { [self] fd in serve(fd) }
    }

    deinit { shutdown(listener, Int32(SHUT_RDWR)) }

    /// The `host:port` of every CONNECT received, and the status the proxy answered it with.
    public var connectTargets: [String] { lock.withLock { targets } }
    public var answeredStatuses: [Int] { lock.withLock { statuses } }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        let io = SocketIO(fd: fd)
        var head = Data()
        while head.range(of: Data("\r\n\r\n".utf8)) == nil {
            guard let more = io.readSome(), head.count < 64 * 1024 else { return }
            head.append(more)
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3, parts[0] == "CONNECT" else { return answer(io, 405, "only CONNECT is supported") }
        let target = String(parts[1])
        let credentials = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
            .map { $0.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces) }
        switch policy {
        case .open: break
        case .deny: return refuse(io, target, 403, "tunnels are not allowed by policy")
        case .login(let user, let password):
            let expected = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            guard credentials == expected else { return refuse(io, target, 407, "login required", extra: "Proxy-Authenticate: Basic realm=\"test\"\r\n") }
        }
        guard let portText = target.split(separator: ":").last, let port = Int(portText), let upstream = LoopbackSocket.connect(port: port) else {
            return refuse(io, target, 502, "cannot reach \(target)")
        }
        defer { close(upstream) }
        record(target, 200)
        guard io.writeAll(Data("HTTP/1.1 200 Connection established\r\n\r\n".utf8)) else { return }
        LoopbackSocket.relay(fd, upstream)
    }

    private func refuse(_ io: SocketIO, _ target: String, _ status: Int, _ reason: String, extra: String = "") {
        record(target, status)
        answer(io, status, reason, extra: extra)
    }

    private func record(_ target: String, _ status: Int) {
        lock.withLock {
            targets.append(target)
            statuses.append(status)
        }
    }

    private func answer(_ io: SocketIO, _ status: Int, _ reason: String, extra: String = "") {
        let body = reason + "\n"
        io.writeAll(Data("HTTP/1.1 \(status) \(reason)\r\n\(extra)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8))
    }
}
