import Dispatch
import FoundationEssentials
import Glibc
import Platform
import Transport

/// `vq mcp`: a Model Context Protocol server, on stdio (`serve`) or as one session of the HTTP transport (`handle`).
/// The reader answers initialize, ping and tools/list at once and hands each tools/call to one worker, so that it
/// stays free to hear cancellations and the client's answer to roots/list while a call runs. Each message is
/// answered on the output it came with. A malformed message gets the protocol's error and the server goes on; a
/// failing tool is a result with `isError`.
public final class MCPServer: @unchecked Sendable {
    /// Protocol revisions this server speaks, newest first; a client asking for another gets the newest.
    public static let protocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// How long a call waits for the client's roots before taking it that there are none.
    static let rootsTimeout: TimeInterval = 30

    private let channel: MCPChannel?
    private let toolbox: MCPToolbox
    private let allow: [String]
    private let version: String
    private let log: @Sendable (String) -> Void
    private let worker = DispatchQueue(label: "vq.mcp.calls")
    private let lock = Lock()
    private var calls: [JSONRPCID: MCPCall] = [:]
    private var clientDeclaresRoots = false
    private var roots: [String]?
    private var pendingRoots: (id: String, signal: DispatchSemaphore, answer: [String]?)?
    private var requestCount = 0
    /// The client closed stdin: no answer to roots/list can come any more.
    private var inputEnded = false

    /// `log` gets a line for each failed call (stderr: the client shows it in its server log; never a key). A
    /// negative `input` makes a session without stdio, whose messages come through `handle` (the HTTP transport).
    public init(
        config: ConfigFile?, environment: [String: String], client: HTTPClient, version: String, input: Int32 = STDIN_FILENO,
        output: Int32 = STDOUT_FILENO, log: @escaping @Sendable (String) -> Void
    ) {
        channel = input >= 0 ? MCPChannel(input: input, output: output) : nil
        toolbox = MCPToolbox(config: config, environment: environment, client: client)
        allow = config?.mcp.allow ?? []
        self.version = version
        self.log = log
    }

    /// Serves stdio until the client closes stdin (calls already made are answered first) or stops reading stdout
    /// (calls still running are cancelled).
    public func serve() {
        guard let channel else { preconditionFailure("serve() needs the stdio channel") }
        reading: while !channel.isGone {
            switch channel.readLine() {
            case .end: break reading
            case .tooLong: reply(nil, error: .invalidRequest("message longer than \(MCPChannel.maxMessageBytes >> 20) MiB"), to: channel)
            case .message(let line): handle(JSONRPCMessage.parse(line), output: channel)
            }
        }
        // Calls already asked for are finished and answered (a piped script loses nothing), unless nobody reads.
        if channel.isGone { lock.withLock { for call in calls.values { call.cancellation.cancel() } } }
        finish()
    }

    /// Stops waiting for the client: no answer to roots/list can come any more; returns when the running call ended.
    func finish() {
        lock.withLock {
            inputEnded = true
            _ = pendingRoots?.signal.signal()
        }
        worker.sync {}
    }

    /// Handles one message; what it earns is written to `output`.
    func handle(_ message: JSONRPCMessage, output: MCPOutput) {
        switch message {
        case .invalid(let id, let error):
            reply(id, error: error, to: output)
        case .notification(let method, let params):
            notification(method, params)
        case .response(let id, let result, _):
            rootsAnswered(id, result)
        case .request(let id, let method, let params):
            request(id, method, params, output: output)
        }
    }

    private func request(_ id: JSONRPCID, _ method: String, _ params: [String: Any], output: MCPOutput) {
        switch method {
        case "initialize":
            let asked = params["protocolVersion"] as? String ?? ""
            lock.withLock { clientDeclaresRoots = (params["capabilities"] as? [String: Any])?["roots"] != nil }
            reply(
                id, to: output,
                result: [
                    "protocolVersion": Self.protocolVersions.contains(asked) ? asked : Self.protocolVersions[0],
                    "capabilities": ["tools": ["listChanged": false]],
                    "serverInfo": ["name": "vq", "title": "vq: vision models", "version": version],
                    "instructions":
                        "Use ask to have a vision model look at images or PDFs (paths inside your roots, URLs, or inline image content), detect to find objects' boxes in an image, generate_image and edit_image to make images; list_profiles and list_models show what can be chosen.",
                ])
        case "ping":
            reply(id, to: output, result: [:])
        case "tools/list":
            reply(id, to: output, result: ["tools": MCPToolCatalog.tools])
        case "tools/call":
            toolCall(id, params, output: output)
        default:
            reply(id, error: .methodNotFound(method), to: output)
        }
    }

    private func toolCall(_ id: JSONRPCID, _ params: [String: Any], output: MCPOutput) {
        guard let name = params["name"] as? String else {
            return reply(id, error: .invalidParams("tools/call needs the tool's \"name\""), to: output)
        }
        guard let tool = MCPToolName(rawValue: name) else { return reply(id, error: .invalidParams("Unknown tool: \(name)"), to: output) }
        let given = params["arguments"] ?? [String: Any]()
        guard let arguments = given as? [String: Any] else {
            return reply(id, error: .invalidParams("\"arguments\" must be an object"), to: output)
        }
        let token = (params["_meta"] as? [String: Any])?["progressToken"]
        let call = MCPCall(id: id, arguments: arguments, progressToken: token, output: output)
        let duplicate = lock.withLock {
            if calls[id] != nil { return true }
            calls[id] = call
            return false
        }
        if duplicate { return reply(id, error: .invalidRequest("request id already in use by a running call"), to: output) }
        worker.async { [self] in
            let result =
                call.isCancelled
                ? MCPToolResult.failure("cancelled")
                : toolbox.run(tool, arguments: call.arguments, call: call) { () throws(VQError) in try self.fileAccess(call) }
            lock.withLock { calls[id] = nil }
            if result.isError && !call.isCancelled { log("\(name): \(result.content.first?["text"] as? String ?? "failed")") }
            if !call.isCancelled { reply(id, to: output, result: result.json) }  // a cancelled request is not answered
        }
    }

    private func notification(_ method: String, _ params: [String: Any]) {
        switch method {
        case "notifications/cancelled":
            guard let id = JSONRPCID(params["requestId"]) else { return }
            lock.withLock { calls[id] }?.cancellation.cancel()
            lock.withLock { _ = pendingRoots?.signal.signal() }
        case "notifications/roots/list_changed":
            lock.withLock { roots = nil }
        default:
            break  // notifications/initialized and others need no answer
        }
    }

    /// The files a call may read: the client's roots (asked once, again after roots/list_changed) and `[mcp] allow`.
    private func fileAccess(_ call: MCPCall) throws(VQError) -> MCPFileAccess {
        MCPFileAccess(roots: try clientRoots(call), allow: allow)
    }

    private func clientRoots(_ call: MCPCall) throws(VQError) -> [String] {
        let (known, asking): ([String]?, (id: String, signal: DispatchSemaphore)?) = lock.withLock {
            guard clientDeclaresRoots else { return ([], nil) }
            if let roots { return (roots, nil) }
            requestCount += 1
            let request = (id: "vq-roots-\(requestCount)", signal: DispatchSemaphore(value: 0))
            pendingRoots = (request.id, request.signal, nil)
            return (nil, request)
        }
        if let known { return known }
        guard let asking else { return [] }
        call.output.send(["jsonrpc": "2.0", "id": asking.id, "method": "roots/list"])
        let deadline = Date().addingTimeInterval(Self.rootsTimeout)
        var answered = false
        while !answered && !call.isCancelled && !call.output.isGone && !lock.withLock({ inputEnded }) && Date() < deadline {
            answered = asking.signal.wait(timeout: .now() + 0.25) == .success && lock.withLock { pendingRoots?.answer != nil }
        }
        let answer: [String]? = lock.withLock {
            let answer = pendingRoots?.answer
            pendingRoots = nil
            if answer != nil { roots = answer }
            return answer
        }
        if call.isCancelled { throw VQError(.unavailable, "cancelled") }
        guard let answer else { throw VQError(.unavailable, "the client did not answer roots/list within \(Int(Self.rootsTimeout)) s") }
        return answer
    }

    private func rootsAnswered(_ id: JSONRPCID, _ result: [String: Any]?) {
        lock.withLock {
            guard let pending = pendingRoots, id == .string(pending.id) else { return }
            let list = result?["roots"] as? [[String: Any]] ?? []  // an error answer: no roots
            pendingRoots?.answer = list.compactMap { $0["uri"] as? String }
            pending.signal.signal()
        }
    }

    private func reply(_ id: JSONRPCID?, to output: MCPOutput, result: [String: Any]) {
        output.send(["jsonrpc": "2.0", "id": id?.json ?? JSONNull(), "result": result])
    }

    private func reply(_ id: JSONRPCID?, error: JSONRPCError, to output: MCPOutput) {
        output.send(["jsonrpc": "2.0", "id": id?.json ?? JSONNull(), "error": error.json])
    }
}
