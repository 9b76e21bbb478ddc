import FoundationEssentials
import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// The output of one POST to `vq mcp --http`: as an event stream (`text/event-stream`: progress, a roots/list
/// request and the answer, each an SSE event as it happens), as one JSON body (only the answer is kept), or nothing
/// (a notification or a response earns 202). `waitForAnswer` blocks the connection until the answer was written or
/// the client went away.
final class MCPHTTPReply: MCPOutput, @unchecked Sendable {
    enum Mode { case stream, json, none }

    private let fd: Int32
    private let mode: Mode
    private let requestID: JSONRPCID?
    private let headers: [(String, String)]
    private let condition = Condition()
    private var answer: [String: Any]?
    private var streamStarted = false
    private var gone = false

    /// `headers` go on the response (the session id).
    init(fd: Int32, mode: Mode, requestID: JSONRPCID?, headers: [(String, String)] = []) {
        self.fd = fd
        self.mode = mode
        self.requestID = requestID
        self.headers = headers
    }

    @discardableResult func send(_ message: [String: Any]) -> Bool {
        let isAnswer = requestID != nil && JSONRPCID(message["id"]) == requestID && (message["result"] != nil || message["error"] != nil)
        return condition.withLock {
            if gone { return false }
            if isAnswer { answer = message }
            if mode == .stream {
                if !streamStarted {
                    streamStarted = true
                    let head = Self.head(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")] + headers)
                    if !Self.write(fd, head) { gone = true }
                }
                var event = Data("data: ".utf8)
                event.append(JSONWriter.data(message))
                event.append(contentsOf: Array("\n\n".utf8))
                if !gone && !Self.write(fd, event) { gone = true }
            }
            condition.broadcast()
            return !gone
        }
    }

    var isGone: Bool { condition.withLock { gone } }

    /// Waits until the answer was sent (then writes it as the JSON body unless streaming); false when the client
    /// closed the connection first.
    func waitForAnswer() -> Bool {
        condition.lock()
        while answer == nil && !gone {
            if !condition.wait(seconds: 0.5) && Self.peerClosed(fd) { gone = true }
        }
        let answered = answer
        condition.unlock()
        guard let answered else { return false }
        if mode == .json { Self.respond(fd, status: 200, headers: [("Content-Type", "application/json")] + headers, body: JSONWriter.data(answered)) }
        return true
    }

    /// Whether the client closed its end (an orderly shutdown or a reset).
    static func peerClosed(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    }

    /// Writes a whole response; the connection is closed after it.
    static func respond(_ fd: Int32, status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        var response = head(status: status, headers: headers + [("Content-Length", String(body.count))])
        response.append(body)
        _ = write(fd, response)
    }

    private static func head(status: Int, headers: [(String, String)]) -> Data {
        let reasons = [
            200: "OK", 202: "Accepted", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
            411: "Length Required", 413: "Content Too Large", 431: "Request Header Fields Too Large",
        ]
        var text = "HTTP/1.1 \(status) \(reasons[status] ?? "Error")\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Data((text + "\r\n").utf8)
    }

    /// Writes everything (never raising SIGPIPE); false once the client is gone.
    private static func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
    }
}
