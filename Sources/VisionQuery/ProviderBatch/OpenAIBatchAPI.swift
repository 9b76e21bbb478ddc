import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// OpenAI's Batch API: a JSONL input file uploaded to `/files` (purpose `batch`), `/batches` for `/v1/chat/completions`,
/// `/v1/responses` or the Images API's `/v1/images/generations` and `/v1/images/edits`, polled until `completed`;
/// results in an output and an error file, matched by `custom_id`.
struct OpenAIBatchAPI: ProviderBatchAPI {
    let profile: Profile
    /// The synchronous endpoint each request targets, relative to `base_url`.
    let endpoint: String

    var name: String { "\(profile.name) batch" }
    /// 50,000 requests and 200 MB per input file (OpenAI's batch guide); a profile may lower them.
    var limits: ProviderBatchLimits {
        ProviderBatchLimits(
            requests: profile.batchMaxRequests ?? 50_000, bytes: profile.batchMaxBytes ?? 200_000_000, enqueuedTokens: profile.batchMaxEnqueuedTokens)
    }
    var inputFraming: (prefix: Data, separator: Data, suffix: Data) { (Data(), Data("\n".utf8), Data("\n".utf8)) }

    var calls: BatchAPICalls { BatchAPICalls(profile: profile) }

    /// `/v1/chat/completions`: the path of `base_url` plus the endpoint.
    var endpointPath: String {
        (URLComponents(string: profile.baseURL)?.path ?? "").trimmingSuffix("/") + endpoint
    }

    /// An Images API request goes to its own endpoint (`/v1/images/generations` or `/v1/images/edits`, both batch
    /// endpoints in OpenAI's spec): the path of its URL.
    func route(of request: HTTPRequest) -> String? {
        guard let path = URLComponents(string: request.url)?.path, OpenAIImagesAPI.endpoints.contains(where: { path.hasSuffix($0) }) else { return nil }
        return path
    }

    func inputItem(customID: String, request: HTTPRequest) -> [BodyPart] {
        let url = route(of: request) ?? endpointPath
        let head = #"{"custom_id":\#(JSONWriter.string(customID)),"method":"POST","url":\#(JSONWriter.string(url)),"body":"#
        return [.bytes(Data(head.utf8))] + request.body + [.bytes(Data("}".utf8))]
    }

    func submit(
        _ job: inout ProviderBatchState.Job, context: ExchangeContext,
        save: (ProviderBatchState.Job) throws(VQError) -> Void
    ) throws(VQError) {
        if job.inputFileID == nil {
            // An upload interrupted after the provider stored it left a file vq never heard of: found by its name.
            if job.uploadStarted == true, let name = job.uploadName { try deleteFiles(named: name, context: context) }
            job.uploadStarted = true
            try save(job)
            let boundary = "vq-\(UUID().uuidString)"
            let filename = job.uploadName ?? "\(PathText.lastComponent(job.input)).jsonl"
            let head =
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--\(boundary)\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n"
            let request = HTTPRequest(
                method: "POST", url: calls.url("/files"),
                headers: [
                    ("Content-Type", "multipart/form-data; boundary=\(boundary)"), ("Accept", "application/json"),
                ], body: [.bytes(Data(head.utf8)), .file(path: job.input, length: job.bytes), .bytes(Data("\r\n--\(boundary)--\r\n".utf8))])
            let body = try calls.call(request, authHeader: nil, context: context, step: "uploading the batch input")
            let file = try calls.object(body, step: "/files")
            guard let id = file["id"] as? String else {
                throw VQError(.unavailable, "\(profile.name): /files gave no file id: \(ServiceErrorSummary.excerpt(body))")
            }
            job.inputFileID = id
            job.inputFileCreatedAt = JSONValue.int(file["created_at"])
            try save(job)
        }
        guard job.batchID == nil, let fileID = job.inputFileID else { return }
        // A batch created just before an interruption is found by its tag (or input file), not created twice.
        if job.createStarted == true, let existing = try existingBatch(for: job, fileID: fileID, context: context) {
            job.batchID = existing
            try save(job)
            return
        }
        job.createStarted = true
        try save(job)
        var metadata = ["created_by": "vq"]
        if let nonce = job.nonce { metadata[Self.jobTag] = nonce }
        let request = HTTPRequest(
            method: "POST", url: calls.url("/batches"),
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: BatchAPICalls.json([
                "input_file_id": fileID, "endpoint": job.route ?? endpointPath,
                "completion_window": "24h", "metadata": metadata,
            ]))
        let body = try calls.call(request, authHeader: nil, context: context, step: "creating the batch")
        guard let id = try calls.object(body, step: "/batches")["id"] as? String else {
            throw VQError(.unavailable, "\(profile.name): /batches gave no batch id: \(ServiceErrorSummary.excerpt(body))")
        }
        job.batchID = id
        try save(job)
    }

    func status(of job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> ProviderBatchStatus {
        guard let id = job.batchID else { preconditionFailure("status of a job that was not created") }
        let body = try calls.call(
            HTTPRequest(method: "GET", url: calls.url("/batches/\(id)"), headers: [("Accept", "application/json")]),
            authHeader: nil, context: context, step: "batch status")
        let object = try calls.object(body, step: "/batches/\(id)")
        let state = object["status"] as? String ?? "unknown"
        let counts = object["request_counts"] as? [String: Any] ?? [:]
        let errors = ((object["errors"] as? [String: Any])?["data"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        return ProviderBatchStatus(
            state: state, finished: ["completed", "failed", "expired", "cancelled"].contains(state),
            total: JSONValue.int(counts["total"]), done: JSONValue.int(counts["completed"]) ?? 0, failed: JSONValue.int(counts["failed"]) ?? 0,
            resultLocations: [object["output_file_id"], object["error_file_id"]].compactMap { $0 as? String },
            failure: state == "failed" ? (errors.first ?? "the batch failed validation") : nil)
    }

    func results(
        of job: ProviderBatchState.Job, status: ProviderBatchStatus, context: ExchangeContext,
        each: (String, ProviderBatchItemResult) -> Void
    ) throws(VQError) {
        for file in status.resultLocations {
            let request = HTTPRequest(method: "GET", url: calls.url("/files/\(file)/content"))
            try calls.lines(request, authHeader: nil, context: context, step: "batch results") { line in
                guard let id = line["custom_id"] as? String else { return }
                if let error = line["error"], !(error is JSONNull) {
                    return each(id, .failed(ServiceErrorSummary.message(fromErrorValue: error)))
                }
                guard let response = line["response"] as? [String: Any] else { return each(id, .failed("no response in the batch result")) }
                let body = (response["body"]).map { JSONWriter.data($0) } ?? Data()
                each(id, .response(status: JSONValue.int(response["status_code"]) ?? 200, body: body))
            }
        }
    }

    func cancel(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) {
        guard let id = job.batchID else { return }
        _ = try calls.call(
            HTTPRequest(method: "POST", url: calls.url("/batches/\(id)/cancel"), headers: [("Accept", "application/json")]),
            authHeader: nil, context: context, step: "cancelling the batch")
    }
}
