import FoundationEssentials
import Platform

/// The `--out` JSON Lines of `vq eval` as a journal for resuming after a kill: which (case, profile) pairs already
/// have a scored line. Lines with an error and a torn last line are dropped, so those pairs are asked again.
public enum EvalJournal {
    /// The pairs `data` answers and the lines to keep (one per pair, the first).
    public static func read(_ data: Data) -> (done: Set<EvalPair>, kept: Data) {
        var done = Set<EvalPair>()
        var kept = Data()
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            let line = data[start..<newline]
            start = newline + 1
            guard let object = try? JSONReader.value(line) as? [String: Any],
                let caseID = object["case"] as? String, let profile = object["profile"] as? String, object["error"] is JSONNull,
                done.insert(EvalPair(caseID: caseID, profile: profile)).inserted
            else { continue }
            kept.append(line)
            kept.append(0x0A)
        }
        return (done, kept)
    }

    /// The results kept in `data`, for the score table of a resumed run.
    public static func results(_ data: Data) -> [EvalResult] {
        data.split(separator: 0x0A).compactMap { line in
            guard let object = try? JSONReader.value(line) as? [String: Any],
                let caseID = object["case"] as? String, let profile = object["profile"] as? String
            else { return nil }
            var result = EvalResult(caseID: caseID, profile: profile, kind: object["kind"] as? String ?? "")
            result.model = object["model"] as? String
            result.answer = object["answer"] as? String
            result.error = object["error"] as? String
            result.verdict = (object["passed"] as? Bool) == true ? .pass : .fail(object["reason"] as? String ?? "")
            result.latency = JSONValue.exactNumber(object["latency_s"]) ?? 0
            if let usage = object["usage"] as? [String: Any] {
                result.usage = Usage(
                    promptTokens: usage["prompt_tokens"] as? Int, completionTokens: usage["completion_tokens"] as? Int,
                    totalTokens: usage["total_tokens"] as? Int, cachedPromptTokens: usage["cached_prompt_tokens"] as? Int)
            }
            if let cost = object["cost"] as? [String: Any] {
                if let usd = JSONValue.exactNumber(cost["usd"]) {
                    result.cost = Cost(usd: usd, prices: cost["prices"] as? String ?? "")
                } else {
                    result.cost = Cost(unknown: cost["reason"] as? String ?? "unknown")
                }
            }
            return result
        }
    }
}

/// One case asked of one profile.
public struct EvalPair: Hashable, Sendable {
    public let caseID: String
    public let profile: String

    public init(caseID: String, profile: String) {
        self.caseID = caseID
        self.profile = profile
    }
}
