import FoundationEssentials
import Platform
import Transport

/// One `tools/call` in flight: its request id and arguments (parsed JSON, only read once handed over), the
/// cancellation a `notifications/cancelled` raises (it stops the transfer), the output its messages go to, and the
/// progress token the client gave, through which progress notifications are sent.
final class MCPCall: @unchecked Sendable {
    let id: JSONRPCID
    let arguments: [String: Any]
    let cancellation = TransferCancellation()
    private let progressToken: Any?
    /// Where the call's progress, its roots/list request and its answer are written.
    let output: MCPOutput
    private let lock = Lock()
    /// The progress last sent (-1: none yet); each notification's must be greater.
    private var sent = -1.0

    init(id: JSONRPCID, arguments: [String: Any], progressToken: Any?, output: MCPOutput) {
        self.id = id
        self.arguments = arguments
        self.progressToken = progressToken
        self.output = output
    }

    var isCancelled: Bool { cancellation.isCancelled }

    /// Sends `notifications/progress` with `message` as the next whole step, without a total (only when the client
    /// asked for progress).
    func progress(_ message: String) { progress(message, done: nil, total: nil) }

    /// The same at `done` of a known `total` (inputs prepared); skipped unless it is further than the last one sent.
    func progress(_ message: String, done: Double?, total: Int?) {
        guard let progressToken, !isCancelled else { return }
        let value: Double? = lock.withLock {
            let value = done ?? (max(sent, 0).rounded(.down) + 1)
            guard value > sent else { return nil }
            sent = value
            return value
        }
        guard let value else { return }
        var params: [String: Any] = ["progressToken": progressToken, "progress": value == value.rounded() ? Int(value) as Any : value, "message": message]
        if let total { params["total"] = total }
        output.send(["jsonrpc": "2.0", "method": "notifications/progress", "params": params])
    }
}
