import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// Gemini's batch mode with inline requests: `POST /models/{model}:batchGenerateContent` with
/// `{"batch": {"displayName", "inputConfig": {"requests": {"requests": [{request, metadata: {key}}]}}}}` (streamed from
/// the input file), polled at `GET /batches/{id}` until its state ends; the inlined responses come back in the order of
/// the requests (their metadata is not always echoed), so they are matched by position.
struct GeminiBatchAPI: ProviderBatchAPI {
    let profile: Profile

    var name: String { "\(profile.name) batch" }
    /// Inline requests share the 20 MB request limit (Gemini's batch guide); a profile may lower the limits.
    var limits: ProviderBatchLimits {
        ProviderBatchLimits(
            requests: profile.batchMaxRequests ?? 100_000, bytes: profile.batchMaxBytes ?? 20_000_000, enqueuedTokens: profile.batchMaxEnqueuedTokens)
    }
    var inputFraming: (prefix: Data, separator: Data, suffix: Data) {
        (Data(#"{"batch":{"displayName":"vq","inputConfig":{"requests":{"requests":["#.utf8), Data(",\n".utf8), Data("]}}}}\n".utf8))
    }

    private var calls: BatchAPICalls { BatchAPICalls(profile: profile) }

    func inputItem(customID: String, request: HTTPRequest) -> [BodyPart] {
        [.bytes(Data(#"{"request":"#.utf8))] + request.body + [.bytes(Data(#","metadata":{"key":\#(JSONWriter.string(customID))}}"#.utf8))]
    }

    /// The model the request names in its URL (`…/models/{model}:generateContent`) when it is not the profile's: an
    /// image maker (`image_model`) for `vq gen`. The batch is created on that model.
    func route(of request: HTTPRequest) -> String? {
        let components = (URLComponents(string: request.url)?.path ?? "").split(separator: "/")
        guard let last = components.last, components.count >= 2, components[components.count - 2] == "models" else { return nil }
        let model = String(last.prefix { $0 != ":" })
        return model.isEmpty || model == profile.model ? nil : model
    }

    func submit(
        _ job: inout ProviderBatchState.Job, context: ExchangeContext,
        save: (ProviderBatchState.Job) throws(VQError) -> Void
    ) throws(VQError) {
        guard job.batchID == nil else { return }
        let model = job.route ?? profile.model ?? ""
        let request = HTTPRequest(
            method: "POST", url: calls.url("/models/\(model):batchGenerateContent"),
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: [.file(path: job.input, length: job.bytes)])
        let body = try calls.call(request, authHeader: "x-goog-api-key", context: context, step: "creating the batch")
        let object = try calls.object(body, step: ":batchGenerateContent")
        guard let name = (object["name"] as? String) ?? ((object["metadata"] as? [String: Any])?["name"] as? String) else {
            throw VQError(.unavailable, "\(profile.name): :batchGenerateContent gave no batch name: \(ServiceErrorSummary.excerpt(body))")
        }
        job.batchID = name.hasPrefix("batches/") ? String(name.dropFirst("batches/".count)) : name
        try save(job)
    }

    /// The batch object: an operation's `metadata` (with `response` once done), or the batch itself.
    private func batch(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> [String: Any] {
        guard let id = job.batchID else { preconditionFailure("status of a job that was not created") }
        let body = try calls.call(
            HTTPRequest(method: "GET", url: calls.url("/batches/\(id)"), headers: [("Accept", "application/json")]),
            authHeader: "x-goog-api-key", context: context, step: "batch status")
        return try calls.object(body, step: "/batches/\(id)")
    }

    func status(of job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> ProviderBatchStatus {
        let object = try batch(job, context: context)
        let batch = object["metadata"] as? [String: Any] ?? object
        let state = (batch["state"] as? String ?? "BATCH_STATE_UNSPECIFIED").replacingScalars("BATCH_STATE_", with: "").lowercased()
        let stats = batch["batchStats"] as? [String: Any] ?? [:]
        let finished = ["succeeded", "failed", "cancelled", "expired"].contains(state) || object["done"] as? Bool == true
        let error = object["error"].map(GeminiAdapter.errorText)
        return ProviderBatchStatus(
            state: state, finished: finished, total: JSONValue.int(stats["requestCount"]),
            done: JSONValue.int(stats["successfulRequestCount"]) ?? 0, failed: JSONValue.int(stats["failedRequestCount"]) ?? 0,
            resultLocations: [], failure: state == "failed" ? (error ?? "the batch failed") : nil)
    }

    func results(
        of job: ProviderBatchState.Job, status: ProviderBatchStatus, context: ExchangeContext,
        each: (String, ProviderBatchItemResult) -> Void
    ) throws(VQError) {
        let object = try batch(job, context: context)
        let response = object["response"] as? [String: Any] ?? [:]
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let output =
            (response["inlinedResponses"] ?? (response["output"] as? [String: Any])?["inlinedResponses"]
            ?? (metadata["output"] as? [String: Any])?["inlinedResponses"]) as? [String: Any]
        let responses = output?["inlinedResponses"] as? [[String: Any]] ?? []
        for (index, entry) in responses.enumerated() where index < job.items.count {
            let id = ((entry["metadata"] as? [String: Any])?["key"] as? String) ?? job.items[index].id
            if let error = entry["error"] {
                each(id, .failed(GeminiAdapter.errorText(error)))
            } else if let answer = entry["response"] {
                each(id, .response(status: 200, body: JSONWriter.data(answer)))
            }
        }
    }

    func cancel(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) {
        guard let id = job.batchID else { return }
        _ = try calls.call(
            HTTPRequest(method: "POST", url: calls.url("/batches/\(id):cancel"), headers: [("Accept", "application/json")]),
            authHeader: "x-goog-api-key", context: context, step: "cancelling the batch")
    }
}
