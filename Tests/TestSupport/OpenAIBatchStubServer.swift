import Foundation
import Imaging

/// A loopback server speaking OpenAI's Batch API: multipart `POST /v1/files` (purpose `batch`), `POST /v1/batches`
/// (each input line checked: custom_id, method, url, a chat-completion or Responses body whose data-URL images
/// decode), `GET /v1/batches[/{id}]` walking validating → in_progress → completed one step per poll, output and
/// error files at `GET /v1/files/{id}/content`, `POST /v1/batches/{id}/cancel`.
public final class OpenAIBatchStubServer: @unchecked Sendable {
    /// One uploaded request, as the stub parsed it.
    public struct Item: Sendable {
        public let customID: String
        public let answer: String
        public let model: String
    }

    private struct Batch {
        var id: String
        var inputFile: String
        var endpoint: String
        var items: [Item]
        var status = "validating"
        var polls = 0
        var outputFile: String?
        var errorFile: String?
    }

    public let expectedKey: String
    /// Items whose position (0-based, in their batch) is in this set fail with a per-request error.
    public let failing: Set<Int>
    /// The `POST /v1/batches` handler creates the batch, then never answers (the client is killed meanwhile).
    public let hangAfterCreate: Bool
    /// Every request is refused with this reason in the error file and the batch ends `failed` (as LiteLLM does for
    /// an endpoint it cannot batch).
    public let refusingEveryRequest: String?
    private let condition = NSCondition()
    private var files: [String: Data] = [:]
    private var batches: [Batch] = []
    private var server: LoopbackHTTPServer!

    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    /// Batches created so far (a resumed client must not create a second for the same input).
    public var createdCount: Int { condition.withLock { batches.count } }
    /// Every request line in every batch, in order.
    public var submittedItems: [Item] { condition.withLock { batches.flatMap(\.items) } }
    /// Uploaded input files, by id.
    public var uploadedFiles: Int { condition.withLock { files.keys.filter { $0.hasPrefix("file-in-") }.count } }

    public init(
        expectedKey: String = "sk-test-secret", failing: Set<Int> = [], hangAfterCreate: Bool = false, refusingEveryRequest: String? = nil
    ) throws {
        self.expectedKey = expectedKey
        self.failing = failing
        self.hangAfterCreate = hangAfterCreate
        self.refusingEveryRequest = refusingEveryRequest
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    /// Waits until a batch has been created (or the timeout passes); true when one was.
    public func waitForCreate(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty { if !condition.wait(until: deadline) { return false } }
        return true
    }

    private func json(_ writer: ResponseWriter, _ status: Int, _ object: Any) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ message: String) {
        json(writer, status, ["error": ["message": message, "type": "invalid_request_error", "param": NSNull(), "code": NSNull()]])
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("authorization") == "Bearer \(expectedKey)" else { return error(writer, 401, "Incorrect API key provided") }
        let path = String(request.path.prefix { $0 != "?" })
        switch (request.method, path) {
        case ("POST", "/v1/files"): upload(request, writer)
        case ("POST", "/v1/batches"): create(request, writer)
        case ("GET", "/v1/batches"):
            let list = condition.withLock { batches.map(object) }
            json(writer, 200, ["object": "list", "data": list])
        case ("GET", _) where path.hasPrefix("/v1/batches/"):
            let id = String(path.dropFirst("/v1/batches/".count))
            guard let batch = advance(id) else { return error(writer, 404, "No batch found with id '\(id)'") }
            json(writer, 200, object(batch))
        case ("POST", _) where path.hasPrefix("/v1/batches/") && path.hasSuffix("/cancel"):
            let id = String(path.dropFirst("/v1/batches/".count).dropLast("/cancel".count))
            let found = condition.withLock { () -> Batch? in
                guard let index = batches.firstIndex(where: { $0.id == id }) else { return nil }
                if !["completed", "failed", "expired", "cancelled"].contains(batches[index].status) { batches[index].status = "cancelling" }
                return batches[index]
            }
            guard let found else { return error(writer, 404, "No batch found with id '\(id)'") }
            json(writer, 200, object(found))
        case ("GET", _) where path.hasPrefix("/v1/files/") && path.hasSuffix("/content"):
            let id = String(path.dropFirst("/v1/files/".count).dropLast("/content".count))
            guard let data = condition.withLock({ files[id] }) else { return error(writer, 404, "No such File object: \(id)") }
            writer.respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: data)
        default:
            error(writer, 404, "no route for \(request.method) \(path)")
        }
    }

    private func upload(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard let type = request.header("content-type"), let range = type.range(of: "boundary=") else { return error(writer, 400, "multipart body expected") }
        let boundary = Data(("--" + type[range.upperBound...]).utf8)
        var fields: [String: Data] = [:]
        var parts: [Data] = []
        var rest = request.body[...]
        while let range = rest.range(of: boundary) {
            parts.append(Data(rest[rest.startIndex..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        for part in parts.dropFirst() {
            guard let headerEnd = part.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let header = String(decoding: part[part.startIndex..<headerEnd.lowerBound], as: UTF8.self)
            guard let nameStart = header.range(of: "name=\"") else { continue }
            let name = String(header[nameStart.upperBound...].prefix { $0 != "\"" })
            var content = Data(part[headerEnd.upperBound...])
            if content.suffix(2) == Data("\r\n".utf8) { content.removeLast(2) }
            fields[name] = content
        }
        guard fields["purpose"] == Data("batch".utf8), let file = fields["file"], !file.isEmpty else {
            return error(writer, 400, "purpose 'batch' and a file are required")
        }
        let id = condition.withLock { () -> String in
            let id = "file-in-\(files.count)"
            files[id] = file
            return id
        }
        json(writer, 200, ["id": id, "object": "file", "purpose": "batch", "bytes": file.count])
    }

    private func create(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard let body = try? request.json() as? [String: Any], let fileID = body["input_file_id"] as? String,
            let endpoint = body["endpoint"] as? String, body["completion_window"] as? String == "24h"
        else {
            return error(writer, 400, "input_file_id, endpoint and completion_window are required")
        }
        guard let file = condition.withLock({ files[fileID] }) else { return error(writer, 400, "No such File object: \(fileID)") }
        var items: [Item] = []
        for (number, line) in file.split(separator: 0x0A).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let id = object["custom_id"] as? String,
                object["method"] as? String == "POST", object["url"] as? String == endpoint,
                let request = object["body"] as? [String: Any], let model = request["model"] as? String
            else {
                return error(writer, 400, "line \(number + 1) of the input file is not a valid batch request")
            }
            guard !items.contains(where: { $0.customID == id }) else { return error(writer, 400, "duplicate custom_id \(id)") }
            switch Self.answer(for: request) {
            case .success(let answer): items.append(Item(customID: id, answer: answer, model: model))
            case .failure(let failure): return error(writer, 400, "line \(number + 1): \(failure.message)")
            }
        }
        let batch = condition.withLock { () -> Batch in
            let batch = Batch(id: "batch_\(batches.count)", inputFile: fileID, endpoint: endpoint, items: items)
            batches.append(batch)
            condition.broadcast()
            return batch
        }
        if hangAfterCreate { return writer.waitUntilClientGone(timeout: 30) }
        json(writer, 200, object(batch))
    }

    /// "Saw 1 image(s): png 5x4." from the data URLs of a chat-completion or Responses body.
    static func answer(for body: [String: Any]) -> Result<String, OpenAIStubServer.DataURLError> {
        var images: [ImageInfo] = []
        let messages = body["messages"] as? [[String: Any]] ?? body["input"] as? [[String: Any]] ?? []
        for message in messages {
            for part in message["content"] as? [[String: Any]] ?? [] {
                let url = (part["image_url"] as? [String: Any])?["url"] as? String ?? part["image_url"] as? String
                guard let url, url.hasPrefix("data:") else { continue }
                switch OpenAIStubServer.decodeDataURL(url) {
                case .success(let info): images.append(info)
                case .failure(let failure): return .failure(failure)
                }
            }
        }
        return .success(NativeStub.answer(images: images))
    }

    /// One poll: validating → in_progress → completed (writing the output and error files), cancelling → cancelled.
    private func advance(_ id: String) -> Batch? {
        condition.withLock {
            guard let index = batches.firstIndex(where: { $0.id == id }) else { return nil }
            batches[index].polls += 1
            switch batches[index].status {
            case "validating": batches[index].status = "in_progress"
            case "in_progress" where batches[index].polls >= 3: finish(index, status: refusingEveryRequest == nil ? "completed" : "failed")
            case "cancelling": finish(index, status: "cancelled", upTo: batches[index].items.count / 2)
            default: break
            }
            return batches[index]
        }
    }

    /// Writes the output file (successes) and the error file (failures); `upTo` items were processed.
    private func finish(_ index: Int, status: String, upTo: Int? = nil) {
        var output = Data()
        var errors = Data()
        for (position, item) in batches[index].items.enumerated() where position < (upTo ?? Int.max) {
            if failing.contains(position) || refusingEveryRequest != nil {
                let line: [String: Any] = [
                    "id": "req_\(position)", "custom_id": item.customID, "response": NSNull(),
                    "error": ["code": "server_error", "message": refusingEveryRequest ?? "The model failed to answer this request"],
                ]
                errors.append(try! JSONSerialization.data(withJSONObject: line))
                errors.append(0x0A)
            } else {
                let body: [String: Any] =
                    batches[index].endpoint.hasSuffix("/responses")
                    ? [
                        "id": "resp_\(position)", "object": "response", "status": "completed", "model": item.model,
                        "output": [["type": "message", "role": "assistant", "content": [["type": "output_text", "text": item.answer]]]],
                        "usage": ["input_tokens": 20, "output_tokens": 7, "total_tokens": 27],
                    ]
                    : [
                        "id": "chatcmpl-\(position)", "object": "chat.completion", "model": item.model,
                        "choices": [["index": 0, "message": ["role": "assistant", "content": item.answer], "finish_reason": "stop"]],
                        "usage": ["prompt_tokens": 20, "completion_tokens": 7, "total_tokens": 27],
                    ]
                let line: [String: Any] = [
                    "id": "req_\(position)", "custom_id": item.customID,
                    "response": ["status_code": 200, "request_id": "r\(position)", "body": body], "error": NSNull(),
                ]
                output.append(try! JSONSerialization.data(withJSONObject: line))
                output.append(0x0A)
            }
        }
        let outputID = "file-out-\(batches[index].id)"
        let errorID = "file-err-\(batches[index].id)"
        files[outputID] = output
        batches[index].outputFile = outputID
        if !errors.isEmpty {
            files[errorID] = errors
            batches[index].errorFile = errorID
        }
        batches[index].status = status
    }

    private func object(_ batch: Batch) -> [String: Any] {
        let done = batch.status == "completed" || batch.status == "cancelled"
        let failed = done ? batch.items.indices.filter(failing.contains).count : 0
        return [
            "id": batch.id, "object": "batch", "endpoint": batch.endpoint, "input_file_id": batch.inputFile,
            "completion_window": "24h", "status": batch.status, "output_file_id": batch.outputFile ?? NSNull(),
            "error_file_id": batch.errorFile ?? NSNull(), "errors": NSNull(),
            "request_counts": [
                "total": batch.items.count, "completed": done ? batch.items.count - failed : min(batch.polls, batch.items.count),
                "failed": failed,
            ],
        ]
    }
}
