import Foundation
import Imaging

/// A loopback server speaking OpenAI's Batch API: multipart `POST /v1/files` (purpose `batch`), `POST /v1/batches`
/// (each input line checked: custom_id, method, url, a chat-completion or Responses body whose data-URL images
/// decode, or an Images API body: a generation answered with `n` generated PNGs, a JSON edit whose `images` and
/// `mask` data URLs decode answered with its first image, a prompt with the refused word a `moderation_blocked` 400 in
/// the error file), `GET /v1/batches[/{id}]` walking validating → in_progress → completed one step per poll, output and
/// error files at `GET /v1/files/{id}/content`, `POST /v1/batches/{id}/cancel`. Lists page as OpenAI's do, newest
/// first: `GET /v1/batches?limit=&after=` (at most 100) and `GET /v1/files?purpose=&limit=&after=`; `DELETE /v1/files/{id}`.
public final class OpenAIBatchStubServer: @unchecked Sendable {
    /// One uploaded request, as the stub parsed it.
    public struct Item: Sendable {
        public let customID: String
        public let answer: String
        public let model: String
        /// The request body (an Images API request's fields are checked by the tests).
        public var body: [String: Any] { (try? JSONSerialization.jsonObject(with: bodyData)) as? [String: Any] ?? [:] }
        let bodyData: Data
        /// An Images API request's answer: the images to return and the prompt (nil for chat and Responses).
        var images: [Data]? = nil
        var prompt: String? = nil
    }

    private struct Batch {
        var id: String
        var inputFile: String
        var endpoint: String
        var items: [Item]
        var createdAt: Int
        var metadata: [String: Any]
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
    /// An Images API prompt containing this word is refused (`moderation_blocked`, HTTP 400 in the error file).
    public var refusingPrompt: String? {
        get { condition.withLock { refusedWord } }
        set { condition.withLock { refusedWord = newValue } }
    }
    private var refusedWord: String?
    private let condition = NSCondition()
    private var files: [String: Data] = [:]
    /// Name and creation time of each file, by id.
    private var fileInfo: [String: (name: String, createdAt: Int)] = [:]
    private var batches: [Batch] = []
    private var deleted: [String] = []
    /// Input files uploaded so far (deleted ones included); numbers the ids.
    private var uploads = 0
    private var foreignFiles = 0
    private var maxActiveSeen = 0
    /// The server's clock (seconds), one tick per object created, so that creation times order everything.
    private var clock = 1_700_000_000
    /// The next upload is stored, then never answered (the client is killed meanwhile).
    private var hangAfterNextUpload = false
    private var server: LoopbackHTTPServer!

    public var baseURL: String { server.baseURL + "/v1" }
    public var requests: [RecordedRequest] { server.requests }
    /// Batches created so far (a resumed client must not create a second for the same input).
    public var createdCount: Int { condition.withLock { batches.count } }
    /// Every request line in every batch, in order.
    public var submittedItems: [Item] { condition.withLock { batches.flatMap(\.items) } }
    /// Uploaded input files, by id.
    public var uploadedFiles: Int { condition.withLock { uploads } }
    /// Most of the client's batches that had not ended at once (seen at each create).
    public var maxActive: Int { condition.withLock { maxActiveSeen } }
    /// Files the client deleted, in order.
    public var deletedFiles: [String] { condition.withLock { deleted } }
    /// Files still stored (uploaded inputs, outputs and error files), by id.
    public var storedFiles: Set<String> { condition.withLock { Set(files.keys) } }
    /// `GET /v1/batches` requests answered.
    public var batchListings: Int { requests.filter { $0.method == "GET" && $0.path.hasPrefix("/v1/batches") && !$0.path.hasPrefix("/v1/batches/") }.count }

    /// Someone else in the organisation creates `count` batches (their own input files), newer than any so far.
    public func createForeignBatches(_ count: Int) {
        condition.withLock {
            for _ in 0..<count {
                clock += 1
                let file = "file-other-\(foreignFiles)"
                foreignFiles += 1
                files[file] = Data("{}\n".utf8)
                fileInfo[file] = ("theirs.jsonl", clock)
                batches.append(
                    Batch(
                        id: "batch_\(batches.count)", inputFile: file, endpoint: "/v1/chat/completions", items: [], createdAt: clock,
                        metadata: ["team": "others"]))
            }
        }
    }

    /// The next upload is stored but never answered, as when the client is killed while waiting for the answer.
    public func hangAfterNextUpload(_ hang: Bool = true) { condition.withLock { hangAfterNextUpload = hang } }

    /// Waits until an input file has been uploaded (or the timeout passes); true when one was.
    public func waitForUpload(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while uploads == 0 { if !condition.wait(until: deadline) { return false } }
        return true
    }

    public init(
        expectedKey: String = "sk-test-secret", failing: Set<Int> = [], hangAfterCreate: Bool = false, refusingEveryRequest: String? = nil,
        refusingPrompt: String? = nil
    ) throws {
        refusedWord = refusingPrompt
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
            let newestFirst = condition.withLock { batches.reversed().map { ($0.id, object($0)) } }
            page(newestFirst, request, maxLimit: 100, defaultLimit: 20, writer)
        case ("GET", "/v1/files"):
            let purpose = request.query("purpose")
            let newestFirst = condition.withLock {
                fileInfo.filter { purpose == nil || Self.isInput($0.key) == (purpose == "batch") }
                    .sorted { ($0.value.createdAt, $0.key) > ($1.value.createdAt, $1.key) }
                    .map { entry -> (String, [String: Any]) in
                        (
                            entry.key,
                            [
                                "id": entry.key, "object": "file", "bytes": files[entry.key]?.count ?? 0, "created_at": entry.value.createdAt,
                                "filename": entry.value.name, "purpose": Self.isInput(entry.key) ? "batch" : "batch_output",
                            ]
                        )
                    }
            }
            page(newestFirst, request, maxLimit: 10_000, defaultLimit: 10_000, writer)
        case ("DELETE", _) where path.hasPrefix("/v1/files/"):
            let id = String(path.dropFirst("/v1/files/".count))
            let found = condition.withLock { () -> Bool in
                guard files.removeValue(forKey: id) != nil else { return false }
                fileInfo[id] = nil
                deleted.append(id)
                return true
            }
            guard found else { return error(writer, 404, "No such File object: \(id)") }
            json(writer, 200, ["id": id, "object": "file", "deleted": true])
        case ("GET", _) where path.hasPrefix("/v1/batches/"):
            let id = String(path.dropFirst("/v1/batches/".count))
            guard let batch = advance(id) else { return error(writer, 404, "No batch found with id '\(id)'") }
            json(writer, 200, object(batch))
        case ("POST", _) where path.hasPrefix("/v1/batches/") && path.hasSuffix("/cancel"):
            let id = String(path.dropFirst("/v1/batches/".count).dropLast("/cancel".count))
            let found = condition.withLock { () -> Batch? in
                guard let index = batches.firstIndex(where: { $0.id == id }) else { return nil }
                if !Self.ended.contains(batches[index].status) { batches[index].status = "cancelling" }
                return batches[index]
            }
            guard let found else { return error(writer, 404, "No batch found with id '\(id)'") }
            if Self.ended.contains(found.status) { return error(writer, 400, "Cannot cancel a batch with status '\(found.status)'.") }
            json(writer, 200, object(found))
        case ("GET", _) where path.hasPrefix("/v1/files/") && !path.hasSuffix("/content"):
            let id = String(path.dropFirst("/v1/files/".count))
            let found = condition.withLock { () -> [String: Any]? in
                guard let info = fileInfo[id], let data = files[id] else { return nil }
                return ["id": id, "object": "file", "bytes": data.count, "created_at": info.createdAt, "filename": info.name, "purpose": "batch"]
            }
            guard let found else { return error(writer, 404, "No such File object: \(id)") }
            json(writer, 200, found)
        case ("GET", _) where path.hasPrefix("/v1/files/") && path.hasSuffix("/content"):
            let id = String(path.dropFirst("/v1/files/".count).dropLast("/content".count))
            guard let data = condition.withLock({ files[id] }) else { return error(writer, 404, "No such File object: \(id)") }
            writer.respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: data)
        default:
            error(writer, 404, "no route for \(request.method) \(path)")
        }
    }

    /// States a batch cannot leave (and OpenAI refuses to cancel).
    static let ended: Set<String> = ["completed", "failed", "expired", "cancelled"]

    /// Whether a file id names an uploaded input (not a batch's output or error file).
    static func isInput(_ id: String) -> Bool { !id.hasPrefix("file-out-") && !id.hasPrefix("file-err-") }

    /// One page of a newest-first list, as OpenAI's list endpoints answer: `limit`, the `after` cursor, `has_more`.
    private func page(_ all: [(String, [String: Any])], _ request: RecordedRequest, maxLimit: Int, defaultLimit: Int, _ writer: ResponseWriter) {
        let limit = Int(request.query("limit") ?? "") ?? defaultLimit
        guard (1...maxLimit).contains(limit) else { return error(writer, 400, "limit must be between 1 and \(maxLimit)") }
        var start = 0
        if let after = request.query("after") {
            guard let index = all.firstIndex(where: { $0.0 == after }) else { return error(writer, 400, "no object with id '\(after)'") }
            start = index + 1
        }
        let slice = Array(all[min(start, all.count)..<min(all.count, start + limit)])
        let objects: [[String: Any]] = slice.map { $0.1 }
        let first: Any = slice.first?.0 ?? NSNull()
        let last: Any = slice.last?.0 ?? NSNull()
        let page: [String: Any] = ["object": "list", "data": objects, "first_id": first, "last_id": last, "has_more": start + limit < all.count]
        json(writer, 200, page)
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
            if let fileNameStart = header.range(of: "filename=\"") {
                fields[name + "-name"] = Data(header[fileNameStart.upperBound...].prefix { $0 != "\"" }.utf8)
            }
        }
        guard fields["purpose"] == Data("batch".utf8), let file = fields["file"], !file.isEmpty else {
            return error(writer, 400, "purpose 'batch' and a file are required")
        }
        let filename = fields["file-name"].map { String(decoding: $0, as: UTF8.self) } ?? "upload.jsonl"
        let (id, createdAt, hang) = condition.withLock { () -> (String, Int, Bool) in
            clock += 1
            let id = "file-in-\(uploads)"
            uploads += 1
            files[id] = file
            fileInfo[id] = (filename, clock)
            let hang = hangAfterNextUpload
            hangAfterNextUpload = false
            condition.broadcast()
            return (id, clock, hang)
        }
        if hang { return writer.waitUntilClientGone(timeout: 30) }
        json(writer, 200, ["id": id, "object": "file", "purpose": "batch", "bytes": file.count, "created_at": createdAt, "filename": filename])
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
            let bodyData = try! JSONSerialization.data(withJSONObject: request)
            if endpoint.hasPrefix("/v1/images/") {
                switch Self.images(for: request, edit: endpoint == "/v1/images/edits") {
                case .success(let images):
                    items.append(Item(customID: id, answer: "", model: model, bodyData: bodyData, images: images, prompt: request["prompt"] as? String))
                case .failure(let failure): return error(writer, 400, "line \(number + 1): \(failure.message)")
                }
                continue
            }
            switch Self.answer(for: request) {
            case .success(let answer): items.append(Item(customID: id, answer: answer, model: model, bodyData: bodyData))
            case .failure(let failure): return error(writer, 400, "line \(number + 1): \(failure.message)")
            }
        }
        let batch = condition.withLock { () -> Batch in
            clock += 1
            let batch = Batch(
                id: "batch_\(batches.count)", inputFile: fileID, endpoint: endpoint, items: items, createdAt: clock,
                metadata: body["metadata"] as? [String: Any] ?? [:])
            batches.append(batch)
            maxActiveSeen = max(maxActiveSeen, batches.filter { !Self.ended.contains($0.status) && $0.metadata["created_by"] as? String == "vq" }.count)
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

    /// The images an Images API request is answered with: `n` generated PNGs, or for an edit (JSON form: `images`
    /// and `mask` as `{"image_url": data URL}`, each decoding) `n` copies of its first image.
    static func images(for body: [String: Any], edit: Bool) -> Result<[Data], OpenAIStubServer.DataURLError> {
        guard let prompt = body["prompt"] as? String, !prompt.isEmpty else { return .failure(.init("prompt is required")) }
        let count = body["n"] as? Int ?? 1
        guard edit else { return .success(Array(repeating: ImagesAPIStubServer.generated, count: count)) }
        guard let references = body["images"] as? [[String: Any]], !references.isEmpty else { return .failure(.init("images is required")) }
        var first: Data?
        for reference in references + [body["mask"] as? [String: Any]].compactMap({ $0 }) {
            guard reference.count == 1, let url = reference["image_url"] as? String, url.hasPrefix("data:") else {
                return .failure(.init("an image reference is {\"image_url\": data URL}"))
            }
            if case .failure(let failure) = OpenAIStubServer.decodeDataURL(url) { return .failure(failure) }
            if first == nil { first = Data(base64Encoded: String(url[url.index(after: url.firstIndex(of: ",")!)...])) }
        }
        return .success(Array(repeating: first!, count: count))
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
            if let images = item.images, let prompt = item.prompt {
                let refused = refusedWord.map { prompt.contains($0) } ?? false
                let body: [String: Any] =
                    refused
                    ? [
                        "error": [
                            "message": "Your request was rejected by the safety system.", "type": "image_generation_user_error", "param": NSNull(),
                            "code": "moderation_blocked",
                        ]
                    ]
                    : [
                        "created": 1, "data": images.map { ["b64_json": $0.base64EncodedString(), "revised_prompt": "Revised: \(prompt)"] },
                        "usage": ["input_tokens": 12, "output_tokens": 4160, "total_tokens": 4172],
                    ]
                let line: [String: Any] = [
                    "id": "req_\(position)", "custom_id": item.customID,
                    "response": ["status_code": refused ? 400 : 200, "request_id": "r\(position)", "body": body], "error": NSNull(),
                ]
                if refused {
                    errors.append(try! JSONSerialization.data(withJSONObject: line))
                    errors.append(0x0A)
                } else {
                    output.append(try! JSONSerialization.data(withJSONObject: line))
                    output.append(0x0A)
                }
                continue
            }
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
        clock += 1
        files[outputID] = output
        fileInfo[outputID] = ("batch_output.jsonl", clock)
        batches[index].outputFile = outputID
        if !errors.isEmpty {
            files[errorID] = errors
            fileInfo[errorID] = ("batch_error.jsonl", clock)
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
            "created_at": batch.createdAt, "metadata": batch.metadata,
            "error_file_id": batch.errorFile ?? NSNull(), "errors": NSNull(),
            "request_counts": [
                "total": batch.items.count, "completed": done ? batch.items.count - failed : min(batch.polls, batch.items.count),
                "failed": failed,
            ],
        ]
    }
}
