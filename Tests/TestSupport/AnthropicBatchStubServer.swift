import Foundation
import Imaging

/// A loopback server speaking Anthropic's Message Batches: `POST /v1/messages/batches` with `{"requests": [...]}`
/// (custom_ids unique, params checked as `/v1/messages` checks them, base64 images decoded), `GET
/// /v1/messages/batches/{id}` going from `in_progress` to `ended` on the second poll, JSON Lines results at
/// `results_url` (some `errored` or `expired` on request), and `POST …/cancel`. `GET /v1/messages/batches` lists them
/// newest first, a page at a time (`limit`, `after_id`, `has_more`, `last_id`).
public final class AnthropicBatchStubServer: @unchecked Sendable {
    private struct Batch {
        var id: String
        var items: [(id: String, answer: String, model: String)]
        var status = "in_progress"
        var polls = 0
        var canceled = false
        var createdAt = Date()
    }

    public let expectedKey: String
    /// Positions whose request errors; `expired` positions expire.
    public let failing: Set<Int>
    public let expired: Set<Int>
    /// `results_url` is a path (`/v1/messages/batches/ID/results`), as some gateways return it, not a whole URL.
    public let relativeResultsURL: Bool
    private let lock = NSCondition()
    private var batches: [Batch] = []
    private var hangAfterCreate = false
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    public var createdCount: Int { lock.withLock { batches.count } }
    public var submittedCount: Int { lock.withLock { batches.reduce(0) { $0 + $1.items.count } } }

    /// The next create makes the batch, then never answers (the client is killed meanwhile).
    public func hangAfterNextCreate() { lock.withLock { hangAfterCreate = true } }

    /// Waits until `count` batches exist (or the timeout passes).
    public func waitForBatches(_ count: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while batches.count < count { if !lock.wait(until: deadline) { return batches.count >= count } }
        return true
    }

    /// Someone else in the organisation creates `count` batches of `requests` requests each.
    public func createForeignBatches(_ count: Int, requests: Int) {
        lock.withLock {
            for _ in 0..<count {
                let items = (0..<requests).map { (id: "theirs-\($0)", answer: "theirs", model: "other") }
                batches.append(Batch(id: "msgbatch_\(batches.count)", items: items))
            }
        }
    }

    public init(expectedKey: String = "sk-test-secret", failing: Set<Int> = [], expired: Set<Int> = [], relativeResultsURL: Bool = false) throws {
        self.relativeResultsURL = relativeResultsURL
        self.expectedKey = expectedKey
        self.failing = failing
        self.expired = expired
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func json(_ writer: ResponseWriter, _ status: Int, _ object: Any) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ type: String, _ message: String) {
        json(writer, status, ["type": "error", "error": ["type": type, "message": message]])
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("x-api-key") == expectedKey else { return error(writer, 401, "authentication_error", "invalid x-api-key") }
        guard request.header("anthropic-version") == "2023-06-01" else {
            return error(writer, 400, "invalid_request_error", "anthropic-version header is required")
        }
        let path = request.path
        if request.method == "POST", path == "/v1/messages/batches" { return create(request, writer) }
        if request.method == "GET", path.hasPrefix("/v1/messages/batches?") || path == "/v1/messages/batches" { return list(request, writer) }
        let tail = path.hasPrefix("/v1/messages/batches/") ? String(path.dropFirst("/v1/messages/batches/".count)) : ""
        let parts = tail.split(separator: "/").map(String.init)
        guard let id = parts.first, let index = lock.withLock({ batches.firstIndex { $0.id == id } }) else {
            return error(writer, 404, "not_found_error", "no route for \(request.method) \(path)")
        }
        switch (request.method, parts.count > 1 ? parts[1] : "") {
        case ("GET", ""):
            json(
                writer, 200,
                lock.withLock { () -> [String: Any] in
                    batches[index].polls += 1
                    if batches[index].polls >= 2 || batches[index].canceled { batches[index].status = "ended" }
                    return object(batches[index])
                })
        case ("POST", "cancel"):
            json(
                writer, 200,
                lock.withLock { () -> [String: Any] in
                    batches[index].canceled = true
                    batches[index].status = "canceling"
                    return object(batches[index])
                })
        case ("GET", "results"):
            let batch = lock.withLock { batches[index] }
            guard batch.status == "ended" else { return error(writer, 400, "invalid_request_error", "batch has not ended") }
            var body = Data()
            for (position, item) in batch.items.enumerated() {
                let result: [String: Any]
                if batch.canceled {
                    result = ["type": "canceled"]
                } else if expired.contains(position) {
                    result = ["type": "expired"]
                } else if failing.contains(position) {
                    result = [
                        "type": "errored", "error": ["type": "error", "error": ["type": "invalid_request_error", "message": "Could not process image"]],
                    ]
                } else {
                    result = [
                        "type": "succeeded",
                        "message": [
                            "id": "msg_\(position)", "type": "message", "role": "assistant", "model": item.model,
                            "content": [["type": "text", "text": item.answer]], "stop_reason": "end_turn",
                            "usage": ["input_tokens": 30, "output_tokens": 8],
                        ],
                    ]
                }
                body.append(try! JSONSerialization.data(withJSONObject: ["custom_id": item.id, "result": result]))
                body.append(0x0A)
            }
            writer.respond(status: 200, headers: [("Content-Type", "application/binary")], body: body)
        default:
            error(writer, 404, "not_found_error", "no route for \(request.method) \(path)")
        }
    }

    private func create(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard let body = try? request.json() as? [String: Any], let list = body["requests"] as? [[String: Any]], !list.isEmpty else {
            return error(writer, 400, "invalid_request_error", "requests: a non-empty list is required")
        }
        var items: [(id: String, answer: String, model: String)] = []
        for (number, entry) in list.enumerated() {
            guard let id = entry["custom_id"] as? String, !items.contains(where: { $0.id == id }),
                let params = entry["params"] as? [String: Any], let model = params["model"] as? String, params["max_tokens"] is Int,
                params["stream"] == nil, let messages = params["messages"] as? [[String: Any]]
            else {
                return error(
                    writer, 400, "invalid_request_error",
                    "requests.\(number): custom_id (unique), model, max_tokens and messages are required; stream is not allowed")
            }
            var images: [ImageInfo] = []
            for message in messages {
                for block in message["content"] as? [[String: Any]] ?? [] where block["type"] as? String == "image" {
                    let source = block["source"] as? [String: Any] ?? [:]
                    switch NativeStub.image(base64: source["data"] as? String ?? "", mime: source["media_type"] as? String) {
                    case .success(let info): images.append(info)
                    case .failure(let failure): return error(writer, 400, "invalid_request_error", "requests.\(number): \(failure.message)")
                    }
                }
            }
            items.append((id, NativeStub.answer(images: images), model))
        }
        let (batch, hang) = lock.withLock { () -> (Batch, Bool) in
            let batch = Batch(id: "msgbatch_\(batches.count)", items: items)
            batches.append(batch)
            lock.broadcast()
            let hang = hangAfterCreate
            hangAfterCreate = false
            return (batch, hang)
        }
        if hang { return writer.waitUntilClientGone(timeout: 30) }
        json(writer, 200, object(batch))
    }

    /// One page of batches, newest first.
    private func list(_ request: RecordedRequest, _ writer: ResponseWriter) {
        let limit = Int(request.query("limit") ?? "") ?? 20
        guard (1...1000).contains(limit) else { return error(writer, 400, "invalid_request_error", "limit: 1 to 1000") }
        let all = lock.withLock { batches.reversed().map { ($0.id, object($0)) } }
        var start = 0
        if let after = request.query("after_id") {
            guard let index = all.firstIndex(where: { $0.0 == after }) else { return error(writer, 400, "invalid_request_error", "after_id: unknown") }
            start = index + 1
        }
        let slice = Array(all[min(start, all.count)..<min(all.count, start + limit)])
        let objects: [[String: Any]] = slice.map { $0.1 }
        let first: Any = slice.first?.0 ?? NSNull()
        let last: Any = slice.last?.0 ?? NSNull()
        let page: [String: Any] = ["data": objects, "has_more": start + limit < all.count, "first_id": first, "last_id": last]
        json(writer, 200, page)
    }

    private func object(_ batch: Batch) -> [String: Any] {
        let ended = batch.status == "ended"
        let errored = ended && !batch.canceled ? batch.items.indices.filter { failing.contains($0) && !expired.contains($0) }.count : 0
        let expiredCount = ended && !batch.canceled ? batch.items.indices.filter(expired.contains).count : 0
        let canceled = ended && batch.canceled ? batch.items.count : 0
        return [
            "id": batch.id, "type": "message_batch", "processing_status": batch.status,
            "created_at": ISO8601DateFormatter().string(from: batch.createdAt),
            "request_counts": [
                "processing": ended ? 0 : batch.items.count, "succeeded": ended ? batch.items.count - errored - expiredCount - canceled : 0,
                "errored": errored, "canceled": canceled, "expired": expiredCount,
            ],
            "results_url": ended ? (relativeResultsURL ? "" : server.baseURL) + "/v1/messages/batches/\(batch.id)/results" : NSNull(),
        ]
    }
}
