import Foundation
import Imaging

/// A loopback server speaking Gemini's batch mode with inline requests: `POST /v1beta/models/{m}:batchGenerateContent`
/// (each request checked like `:generateContent`, inline images decoded), `GET /v1beta/batches/{id}` returning the
/// operation, running on the first poll and done on the second with inlined responses in request order and without
/// their metadata (as the service sometimes answers), and `POST /v1beta/batches/{id}:cancel`. A request whose
/// `generationConfig.responseModalities` has `IMAGE` is answered with an `inlineData` PNG (its first inline image, else
/// a generated one).
public final class GeminiBatchStubServer: @unchecked Sendable {
    private struct Batch {
        var id: String
        var answers: [String]
        /// The image each answer carries (a request for images), by position.
        var images: [Data?]
        var polls = 0
        var cancelled = false
    }

    public let expectedKey: String
    /// Positions whose request fails.
    public let failing: Set<Int>
    private let lock = NSLock()
    private var batches: [Batch] = []
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/v1beta" }
    public var requests: [RecordedRequest] { server.requests }
    public var createdCount: Int { lock.withLock { batches.count } }
    /// The answers of every submitted request, in the order of the requests.
    public var submittedAnswers: [String] { lock.withLock { batches.flatMap(\.answers) } }
    /// Every submitted request (its `request` object), in order.
    public var submittedRequests: [[String: Any]] {
        lock.withLock { requestBodies.compactMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] } }
    }
    private var requestBodies: [Data] = []

    public init(expectedKey: String = "sk-test-secret", failing: Set<Int> = []) throws {
        self.expectedKey = expectedKey
        self.failing = failing
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func json(_ writer: ResponseWriter, _ status: Int, _ object: Any) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ message: String) {
        json(writer, status, ["error": ["code": status, "message": message, "status": "INVALID_ARGUMENT"]])
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard request.header("x-goog-api-key") == expectedKey else { return error(writer, 400, "API key not valid.") }
        let path = request.path
        if request.method == "POST", path.hasPrefix("/v1beta/models/"), path.hasSuffix(":batchGenerateContent") { return create(request, writer) }
        guard path.hasPrefix("/v1beta/batches/") else { return error(writer, 404, "no route for \(path)") }
        var id = String(path.dropFirst("/v1beta/batches/".count))
        let cancel = id.hasSuffix(":cancel")
        if cancel { id = String(id.dropLast(":cancel".count)) }
        guard let index = lock.withLock({ batches.firstIndex { $0.id == id } }) else { return error(writer, 404, "batch not found") }
        if cancel {
            lock.withLock { batches[index].cancelled = true }
            return json(writer, 200, [String: Any]())
        }
        let batch = lock.withLock { () -> Batch in
            batches[index].polls += 1
            return batches[index]
        }
        let done = batch.polls >= 2 || batch.cancelled
        let count = batch.answers.count
        let failed = done && !batch.cancelled ? batch.answers.indices.filter(failing.contains).count : 0
        var operation: [String: Any] = [
            "name": "batches/\(batch.id)",
            "metadata": [
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch", "name": "batches/\(batch.id)",
                "state": done ? (batch.cancelled ? "BATCH_STATE_CANCELLED" : "BATCH_STATE_SUCCEEDED") : "BATCH_STATE_RUNNING",
                "batchStats": [
                    "requestCount": "\(count)", "successfulRequestCount": done ? "\(count - failed)" : "0",
                    "failedRequestCount": "\(failed)",
                ],
            ],
            "done": done,
        ]
        if done && !batch.cancelled {
            let responses: [[String: Any]] = batch.answers.enumerated().map { position, answer in
                if failing.contains(position) { return ["error": ["code": 400, "message": "Unable to process input image.", "status": "INVALID_ARGUMENT"]] }
                var parts: [[String: Any]] = [["text": answer]]
                if let image = batch.images[position] { parts.append(["inlineData": ["mimeType": "image/png", "data": image.base64EncodedString()]]) }
                return [
                    "response": [
                        "candidates": [["content": ["role": "model", "parts": parts], "finishReason": "STOP"]],
                        "usageMetadata": ["promptTokenCount": 270, "candidatesTokenCount": 8, "totalTokenCount": 278],
                        "modelVersion": "gemini-stub",
                    ]
                ]
            }
            operation["response"] = [
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput",
                "inlinedResponses": ["inlinedResponses": responses],
            ]
        }
        json(writer, 200, operation)
    }

    private func create(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard let body = try? request.json() as? [String: Any], let batch = body["batch"] as? [String: Any], batch["displayName"] is String,
            let list = ((batch["inputConfig"] as? [String: Any])?["requests"] as? [String: Any])?["requests"] as? [[String: Any]], !list.isEmpty
        else {
            return error(writer, 400, "batch.displayName and batch.inputConfig.requests.requests are required")
        }
        var answers: [String] = []
        var returned: [Data?] = []
        var bodies: [Data] = []
        for (number, entry) in list.enumerated() {
            guard let inner = entry["request"] as? [String: Any], let contents = inner["contents"] as? [[String: Any]], !contents.isEmpty,
                (entry["metadata"] as? [String: Any])?["key"] is String
            else {
                return error(writer, 400, "requests[\(number)]: request.contents and metadata.key are required")
            }
            var images: [ImageInfo] = []
            var first: Data?
            for content in contents {
                for part in content["parts"] as? [[String: Any]] ?? [] {
                    guard let inline = part["inline_data"] as? [String: Any] else { continue }
                    if first == nil { first = Data(base64Encoded: inline["data"] as? String ?? "") }
                    switch NativeStub.image(base64: inline["data"] as? String ?? "", mime: inline["mime_type"] as? String) {
                    case .success(let info): images.append(info)
                    case .failure(let failure): return error(writer, 400, "requests[\(number)]: \(failure.message)")
                    }
                }
            }
            answers.append(NativeStub.answer(images: images))
            let modalities = (inner["generationConfig"] as? [String: Any])?["responseModalities"] as? [String] ?? []
            returned.append(modalities.contains("IMAGE") ? first ?? ImagesAPIStubServer.generated : nil)
            bodies.append(try! JSONSerialization.data(withJSONObject: inner))
        }
        let id = lock.withLock { () -> String in
            let id = "b\(batches.count)"
            requestBodies += bodies
            batches.append(Batch(id: id, answers: answers, images: returned))
            return id
        }
        json(writer, 200, ["name": "batches/\(id)", "metadata": ["name": "batches/\(id)", "state": "BATCH_STATE_PENDING"]])
    }
}
