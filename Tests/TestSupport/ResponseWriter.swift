import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one scripted HTTP/1.1 response, including deliberate faults.
public final class ResponseWriter: @unchecked Sendable {
    private let io: SocketIO
    private let closeAfter: Bool
    /// Whether the connection can carry another request after this response.
    private(set) var reusable = false
    private var started = false

    init(fd: Int32, closeAfter: Bool) {
        self.io = SocketIO(fd: fd)
        self.closeAfter = closeAfter
    }

    /// Whether the handler wrote anything at all.
    var hasResponded: Bool { started }

    /// A complete response with Content-Length.
    public func respond(status: Int, headers: [(String, String)] = [], body: Data) {
        precondition(!started, "response already started")
        started = true
        var head = headText(status: status, headers: headers)
        head += "Content-Length: \(body.count)\r\n\r\n"
        var bytes = Data(head.utf8)
        bytes.append(body)
        reusable = io.writeAll(bytes) && !closeAfter
    }

    /// Starts a chunked response; follow with sendChunk… and endStream (or a fault).
    public func startStream(status: Int, headers: [(String, String)] = []) {
        precondition(!started, "response already started")
        started = true
        io.writeAll(Data((headText(status: status, headers: headers) + "Transfer-Encoding: chunked\r\n\r\n").utf8))
    }

    /// Writes one chunk immediately; false when the client has gone away.
    @discardableResult
    public func sendChunk(_ data: Data) -> Bool {
        guard !data.isEmpty else { return true }
        var bytes = Data((String(data.count, radix: 16) + "\r\n").utf8)
        bytes.append(data)
        bytes.append(contentsOf: [13, 10])
        return io.writeAll(bytes)
    }

    /// Writes the terminating zero-length chunk.
    public func endStream() {
        reusable = io.writeAll(Data("0\r\n\r\n".utf8)) && !closeAfter
    }

    /// Ends the connection mid-response, without a terminator.
    public func closeAbruptly() {
        reusable = false
        shutdown(io.fd, Int32(SHUT_RDWR))
    }

    /// Blocks without sending until the peer closes the connection or `timeout` seconds pass.
    public func waitUntilClientGone(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        let peerClosed: Int16 = 0x2000  // POLLRDHUP (Linux): the peer shut down its side
        var events = Int16(POLLIN) | peerClosed
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return }
            var pfd = pollfd(fd: io.fd, events: events, revents: 0)
            let ready = poll(&pfd, 1, Int32(min(remaining * 1000, 1_000_000)) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { return }
            if ready == 0 { continue }
            if pfd.revents & (Int16(POLLHUP | POLLERR | POLLNVAL) | peerClosed) != 0 {
                reusable = false
                return
            }
            var byte: UInt8 = 0
            if recv(io.fd, &byte, 1, Int32(MSG_PEEK)) <= 0 {
                reusable = false
                return
            }
            // The client sent more bytes (e.g. a pipelined request): leave them unread and wait for the hang-up alone.
            events = peerClosed
        }
    }

    private func headText(status: Int, headers: [(String, String)]) -> String {
        var text = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if closeAfter { text += "Connection: close\r\n" }
        return text
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
