import FoundationEssentials
import VisionQuery

/// The typed options of `vq eval CASES.jsonl -p A [-p B]`: the query options every case is asked with, the
/// profiles (or models) scored, the judge, the threshold, where per-case results go and how fast cases are sent.
public struct EvalOptions: Equatable, Sendable {
    public var query = QueryOptions()
    public var casesPath = ""
    public var targets: [CompareTarget] = []
    public var judge: String?
    /// `--min-score`: the pass rate (0...1) every profile must reach.
    public var minScore: Double?
    /// `--out FILE`: per-case results (JSON Lines, or CSV with `--format csv`), resumable with `--resume`.
    public var outFile: String?
    public var csv = false
    public var resume = false
    public var jobs = 4
    public var ratePerMinute: Double?

    public init() {}

    init(_ parsed: ParsedArguments) throws(VQError) {
        query = try QueryOptions(parsed)
        guard parsed.positionals.count == 1 else {
            throw VQError(
                .usage, "'vq eval' takes one CASES.jsonl file (got \(parsed.positionals.isEmpty ? "none" : "'\(parsed.positionals.joined(separator: " "))'"))")
        }
        casesPath = parsed.positionals[0]
        targets = try CompareTarget.targets(profiles: parsed.all(.profile), models: parsed.all(.model), command: "vq eval")
        if targets.isEmpty { targets = [CompareTarget(profile: nil, model: nil, label: query.profile ?? "default")] }
        judge = parsed.last(.judge)
        if let text = parsed.last(.minScore) {
            let percent = text.hasSuffix("%")
            guard let value = Double(percent ? String(text.dropLast()) : text).map({ percent ? $0 / 100 : $0 }), (0...1).contains(value) else {
                throw VQError(.usage, "invalid value '\(text)' for '--min-score': expected a pass rate from 0 to 1, or a percentage such as 90%")
            }
            minScore = value
        }
        outFile = parsed.last(.out)
        if outFile?.isEmpty == true { throw VQError(.usage, "'--out' needs a non-empty path") }
        csv = parsed.last(.format) == BatchFormat.csv.rawValue
        resume = parsed.has(.resume)
        if resume && outFile == nil { throw VQError(.usage, "'--resume' needs '--out FILE' (the results it resumes)") }
        if resume && csv { throw VQError(.usage, "'--resume' reads JSON Lines results; use it without '--format csv'") }
        jobs = try QueryOptions.whole(parsed.last(.jobs), option: "jobs", range: 1...256) ?? 4
        ratePerMinute = try parsed.last(.rate).map { (text) throws(VQError) in try BatchOptions.rate(text) }
    }
}
