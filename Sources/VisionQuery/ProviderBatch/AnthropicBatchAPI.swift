import FoundationEssentials
import Platform
import Transport

/// Anthropic's Message Batches: `POST /messages/batches` with `{"requests": [{custom_id, params}]}` (streamed from the
/// input file), polled until `ended`; results as JSON Lines at `results_url`, matched by `custom_id`.
struct AnthropicBatchAPI: ProviderBatchAPI {
    let profile: Profile

    var name: String { "\(profile.name) message batch" }
    /// 100,000 requests and 256 MB per batch (Anthropic's batch guide); a profile may lower them.
    var limits: ProviderBatchLimits {
        ProviderBatchLimits(
            requests: profile.batchMaxRequests ?? 100_000, bytes: profile.batchMaxBytes ?? 256_000_000, enqueuedTokens: profile.batchMaxEnqueuedTokens)
    }
    var inputFraming: (prefix: Data, separator: Data, suffix: Data) { (Data(#"{"requests":["#.utf8), Data(",\n".utf8), Data("]}\n".utf8)) }

    var calls: BatchAPICalls { BatchAPICalls(profile: profile) }
    let version: [(name: String, value: String)] = [("anthropic-version", AnthropicAdapter.version)]

    func inputItem(customID: String, request: HTTPRequest) -> [BodyPart] {
        [.bytes(Data(#"{"custom_id":\#(JSONWriter.string(customID)),"params":"#.utf8))] + request.body + [.bytes(Data("}".utf8))]
    }

    func submit(
        _ job: inout ProviderBatchState.Job, context: ExchangeContext,
        save: (ProviderBatchState.Job) throws(VQError) -> Void
    ) throws(VQError) {
        guard job.batchID == nil else { return }
        // Interrupted between the create request and its answer: the batch may exist. Anthropic takes no tag, so it
        // is recognised by when it was created and how many requests it holds (its custom_ids are this run's: a wrong
        // match fails its lines instead of answering the wrong images).
        if job.createStarted == true, let existing = try batchCreatedBefore(job, context: context) {
            job.batchID = existing
            try save(job)
            return
        }
        job.createStarted = true
        job.createStartedAt = Date().timeIntervalSince1970
        try save(job)
        let request = HTTPRequest(
            method: "POST", url: calls.url("/messages/batches"),
            headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: [.file(path: job.input, length: job.bytes)])
        let body = try calls.call(request, authHeader: "x-api-key", extraHeaders: version, context: context, step: "creating the message batch")
        guard let id = try calls.object(body, step: "/messages/batches")["id"] as? String else {
            throw VQError(.unavailable, "\(profile.name): /messages/batches gave no batch id: \(ServiceErrorSummary.excerpt(body))")
        }
        job.batchID = id
        try save(job)
    }

    func status(of job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> ProviderBatchStatus {
        guard let id = job.batchID else { preconditionFailure("status of a job that was not created") }
        let body = try calls.call(
            HTTPRequest(method: "GET", url: calls.url("/messages/batches/\(id)"), headers: [("Accept", "application/json")]),
            authHeader: "x-api-key", extraHeaders: version, context: context, step: "batch status")
        let object = try calls.object(body, step: "/messages/batches/\(id)")
        let state = object["processing_status"] as? String ?? "unknown"
        let counts = object["request_counts"] as? [String: Any] ?? [:]
        let count = { (key: String) in JSONValue.int(counts[key]) ?? 0 }
        let failed = count("errored") + count("canceled") + count("expired")
        return ProviderBatchStatus(
            state: state, finished: state == "ended",
            total: count("processing") + count("succeeded") + failed, done: count("succeeded"), failed: failed,
            resultLocations: [object["results_url"]].compactMap { $0 as? String }, failure: nil)
    }

    func results(
        of job: ProviderBatchState.Job, status: ProviderBatchStatus, context: ExchangeContext,
        each: (String, ProviderBatchItemResult) -> Void
    ) throws(VQError) {
        for url in status.resultLocations {
            try calls.lines(
                HTTPRequest(method: "GET", url: calls.resolve(url)), authHeader: "x-api-key", extraHeaders: version,
                context: context, step: "batch results"
            ) { line in
                guard let id = line["custom_id"] as? String, let result = line["result"] as? [String: Any] else { return }
                switch result["type"] as? String {
                case "succeeded":
                    let body = result["message"].map { JSONWriter.data($0) } ?? Data()
                    each(id, .response(status: 200, body: body))
                case "errored":
                    let error = (result["error"] as? [String: Any])?["error"] ?? result["error"] ?? "errored"
                    each(id, .failed(AnthropicAdapter.errorText(error)))
                case let other:
                    each(id, .failed("the request was \(other ?? "not processed") in the batch"))
                }
            }
        }
    }

    func cancel(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) {
        guard let id = job.batchID else { return }
        _ = try calls.call(
            HTTPRequest(method: "POST", url: calls.url("/messages/batches/\(id)/cancel"), headers: [("Accept", "application/json")]),
            authHeader: "x-api-key", extraHeaders: version, context: context, step: "cancelling the batch")
    }
}
