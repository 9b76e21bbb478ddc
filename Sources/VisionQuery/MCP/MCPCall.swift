import FoundationEssentials
import Platform
import Transport

/// One `tools/call` in flight: its request id and arguments (parsed JSON, only read once handed over), the cancellation a `notifications/cancelled` raises (it stops the
/// transfer), and the progress token the client gave, through which progress notifications are sent.
final class MCPCall: @unchecked Sendable {
    let id: JSONRPCID
    let arguments: [String: Any]
    let cancellation = TransferCancellation()
    private let progressToken: Any?
    private let notify: @Sendable ([String: Any]) -> Void
    private let lock = Lock()
    private var steps = 0

    init(id: JSONRPCID, arguments: [String: Any], progressToken: Any?, notify: @escaping @Sendable ([String: Any]) -> Void) {
        self.id = id
        self.arguments = arguments
        self.progressToken = progressToken
        self.notify = notify
    }

    var isCancelled: Bool { cancellation.isCancelled }

    /// Sends `notifications/progress` with the next step and `message` (only when the client asked for progress).
    func progress(_ message: String) {
        guard let progressToken, !isCancelled else { return }
        let step = lock.withLock {
            steps += 1
            return steps
        }
        notify([
            "jsonrpc": "2.0", "method": "notifications/progress",
            "params": ["progressToken": progressToken, "progress": step, "message": message] as [String: Any],
        ])
    }
}
