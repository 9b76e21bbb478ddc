import Foundation
import VisionQuery

/// How `vq batch` writes its results.
public enum BatchFormat: String, CaseIterable, Sendable {
    /// One JSON object per line.
    case jsonl
    /// RFC 4180 rows under a header (see `BatchCSV`).
    case csv
}

/// The typed options of `vq batch`: the query options it shares, plus its own.
public struct BatchOptions: Equatable, Sendable {
    public var query = QueryOptions()
    public var jobs = 4
    public var glob: String?
    public var nulSeparated = false
    public var perRequest = 1
    /// Requests per minute.
    public var ratePerMinute: Double?
    public var outFile: String?
    /// `--format`: JSON Lines (the default) or CSV.
    public var format: BatchFormat = .jsonl
    public var resume = false
    public var sidecarExtension: String?
    public var overwrite = false
    public var shard: Shard?
    public var shardCount: Int?
    /// `--shard-from-env VAR`: the environment variable holding this task's shard index.
    public var shardIndexVariable: String?
    /// `--inputs-from FILE`: the images listed in FILE instead of image arguments.
    public var inputsFrom: String?
    /// `vq batch merge FILE...`: the output files of every shard, to check and join.
    public var mergeFiles: [String]?
    /// `--provider-batch`: send through the provider's own batch API (half price, results within hours).
    public var providerBatch = false
    /// `--detach`: return right after submitting the provider batch.
    public var detach = false
    /// `--retry-failed`: a resumed provider batch submits the images whose lines failed again, as a new job.
    public var retryFailed = false
    /// `--keep-files`: leave a provider batch's uploaded input and result files at the provider.
    public var keepFiles = false
    /// `vq batch status|cancel --out FILE`: act on the provider batch recorded beside FILE.
    public var providerBatchAction: ProviderBatchAction?

    /// What `vq batch status|cancel` does.
    public enum ProviderBatchAction: String, Sendable, CaseIterable { case status, cancel }
    /// `--log`: record each request in the conversation log (batches are not logged otherwise).
    public var log = false

    public init() {}

    init(_ parsed: ParsedArguments) throws(VQError) {
        query = try QueryOptions(parsed)
        jobs = try QueryOptions.whole(parsed.last(.jobs), option: "jobs", range: 1...256) ?? 4
        glob = parsed.last(.glob)
        nulSeparated = parsed.has(.null)
        perRequest = try QueryOptions.whole(parsed.last(.perRequest), option: "per-request", range: 1...100) ?? 1
        ratePerMinute = try parsed.last(.rate).map { (text) throws(VQError) in try Self.rate(text) }
        outFile = parsed.last(.out)
        if let text = parsed.last(.format) {
            guard let format = BatchFormat(rawValue: text) else {
                throw VQError(.usage, "invalid value '\(text)' for '--format': expected \(BatchFormat.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            self.format = format
        }
        if outFile?.isEmpty == true { throw VQError(.usage, "'--out' needs a non-empty path") }
        log = parsed.has(.log)
        resume = parsed.has(.resume)
        if resume && outFile == nil { throw VQError(.usage, "'--resume' needs '--out FILE' (the file it resumes)") }
        if let text = parsed.last(.sidecar) {
            let ext = text.hasPrefix(".") ? String(text.dropFirst()) : text
            guard !ext.isEmpty, !ext.contains("/") else {
                throw VQError(.usage, "invalid value '\(text)' for '--sidecar': expected a file extension such as txt")
            }
            sidecarExtension = ext
        }
        overwrite = parsed.has(.overwrite)
        if overwrite && sidecarExtension == nil { throw VQError(.usage, "'--overwrite' applies to '--sidecar' files") }
        shard = try parsed.last(.shard).map { (text) throws(VQError) in try Shard.parse(text) }
        shardCount = try QueryOptions.whole(parsed.last(.shardCount), option: "shard-count", range: 1...1_000_000)
        shardIndexVariable = parsed.last(.shardFromEnv)
        if let name = shardIndexVariable, name.isEmpty || name.contains("=") || name.contains("$") {
            throw VQError(.usage, "invalid value '\(name)' for '--shard-from-env': expected the name of an environment variable, such as SLURM_PROCID")
        }
        inputsFrom = parsed.last(.inputsFrom)
        if inputsFrom?.isEmpty == true { throw VQError(.usage, "'--inputs-from' needs a non-empty path") }
        providerBatch = parsed.has(.providerBatch)
        detach = parsed.has(.detach)
        if detach && !providerBatch { throw VQError(.usage, "'--detach' applies to '--provider-batch'") }
        retryFailed = parsed.has(.retryFailed)
        keepFiles = parsed.has(.keepFiles)
        if keepFiles && !providerBatch { throw VQError(.usage, "'--keep-files' applies to '--provider-batch'") }
        if retryFailed && !(providerBatch && resume) {
            throw VQError(.usage, "'--retry-failed' applies to '--provider-batch --resume' (a normal --resume always retries failed images)")
        }
        if providerBatch && outFile == nil && !query.dryRun {
            throw VQError(.usage, "'--provider-batch' needs '--out FILE' (the job's state is kept beside it, so it can be resumed)")
        }
        if providerBatch && sidecarExtension != nil { throw VQError(.usage, "'--provider-batch' writes to '--out', not to '--sidecar' files") }
        if query.positionals.first == "merge" && query.positionals.count > 1 {
            mergeFiles = Array(query.positionals.dropFirst())
            return
        }
        if query.positionals.count == 1, let action = ProviderBatchAction(rawValue: query.positionals[0]) {
            guard outFile != nil else { throw VQError(.usage, "'vq batch \(action.rawValue)' needs '--out FILE' (the file of the provider batch)") }
            providerBatchAction = action
            return
        }
        if query.template == nil { try checkPositionals() }  // with a template, once its prompt is in (applyingTemplate)
    }

    /// A PROMPT and at least one image.
    func checkPositionals() throws(VQError) {
        if query.positionals.isEmpty {
            throw VQError(.usage, "missing PROMPT; usage: vq batch [OPTIONS] PROMPT [IMAGE|DIR|- ...] (see 'vq batch --help')")
        }
        if query.positionals[0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw VQError(.usage, "the PROMPT is empty") }
        if inputsFrom != nil {
            if query.positionals.count > 1 {
                throw VQError(.usage, "'--inputs-from' lists the images; give no image arguments beside it (got '\(query.positionals[1])')")
            }
            return
        }
        if query.positionals.count == 1 {
            throw VQError(.usage, "no images: give files, directories, URLs, or - to read a list from standard input")
        }
    }

    /// "30/min", "2/s", "1000/h", or a bare number of requests per minute.
    static func rate(_ text: String) throws(VQError) -> Double {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        let perUnit: Double?
        switch parts.count == 2 ? String(parts[1]) : "min" {
        case "s", "sec", "second": perUnit = 60
        case "m", "min", "minute": perUnit = 1
        case "h", "hour": perUnit = 1.0 / 60
        default: perUnit = nil
        }
        guard parts.count <= 2, let perUnit, let count = Double(parts[0]), count.isFinite, count > 0 else {
            throw VQError(.usage, "invalid value '\(text)' for '--rate': expected requests per minute such as 60/min (or N/s, N/h)")
        }
        return count * perUnit
    }
}
