import FoundationEssentials
import Transport

/// Anthropic's Message Batches take no metadata and no idempotency key, and a batch's requests cannot be read before
/// it ends, so a batch created just before an interruption is recognised by what can be seen: created since vq sent
/// the request (with ten minutes' allowance for clock skew) and holding as many requests as the job. One such batch
/// is taken as the job's; several are refused (exit 64) rather than guessed or paid twice.
extension AnthropicBatchAPI {
    /// Allowance for the difference between this machine's clock and Anthropic's.
    static let clockSkew: Double = 600

    /// The batch that matches `job`, or nil when none does.
    func batchCreatedBefore(_ job: ProviderBatchState.Job, context: ExchangeContext) throws(VQError) -> String? {
        let since = (job.createStartedAt ?? 0) - Self.clockSkew
        var matches: [String] = []
        var after: String?
        listing: while true {
            let tail = "/messages/batches?limit=100" + (after.map { "&after_id=\($0)" } ?? "")
            let body = try calls.call(
                HTTPRequest(method: "GET", url: calls.url(tail), headers: [("Accept", "application/json")]),
                authHeader: "x-api-key", extraHeaders: version, context: context, step: "listing message batches")
            let page = try calls.object(body, step: "/messages/batches")
            let batches = page["data"] as? [[String: Any]] ?? []
            for batch in batches {
                guard let created = (batch["created_at"] as? String).flatMap(RFC3339Date.date) else { continue }
                if created.timeIntervalSince1970 < since { break listing }  // newest first: the rest are older
                let counts = batch["request_counts"] as? [String: Any] ?? [:]
                let total = ["processing", "succeeded", "errored", "canceled", "expired"].reduce(0) { $0 + (JSONValue.int(counts[$1]) ?? 0) }
                let cancelled = batch["processing_status"] as? String == "canceling" || JSONValue.int(counts["canceled"]) == total
                if total == job.items.count, !cancelled, let id = batch["id"] as? String { matches.append(id) }
            }
            guard page["has_more"] as? Bool == true, let last = page["last_id"] as? String ?? batches.last?["id"] as? String, last != after else {
                break
            }
            after = last
        }
        guard matches.count <= 1 else {
            throw VQError(
                .usage,
                "\(job.input): vq was interrupted while creating its message batch, and \(matches.count) batches of \(job.items.count) request(s) were created since (\(matches.joined(separator: ", "))); Anthropic gives no way to tell which is vq's. Cancel those that are not, then run the same command with --resume"
            )
        }
        return matches.first
    }
}
