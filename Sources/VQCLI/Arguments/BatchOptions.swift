import FoundationEssentials
import TextFormatting
import VisionQuery

/// How `vq batch` writes its results.
public enum BatchFormat: String, CaseIterable, Sendable {
    /// One JSON object per line.
    case jsonl
    /// RFC 4180 rows under a header (see `BatchCSV`).
    case csv
}

/// The typed options of `vq batch`: the query options it shares, the batch run's settings, and what only the
/// command line has (the output format's name, `--detach`, the provider batch actions). `options.jobs` reads
/// `options.settings.jobs`.
@dynamicMemberLookup
public struct BatchOptions: Equatable, Sendable {
    public var query = QueryOptions()
    public var settings = BatchSettings()
    /// `--format`: JSON Lines (the default) or CSV.
    public var format: BatchFormat = .jsonl
    /// `--detach`: return right after submitting the provider batch.
    public var detach = false
    /// `--profiles A,B,C`: the batch is run once per profile into the same output.
    public var profiles: [String] = []
    /// `vq batch status|cancel --out FILE`: act on the provider batch recorded beside FILE.
    public var providerBatchAction: ProviderBatchAction?
    /// `vq batch merge FILE...`: the output files of every shard, to check and join.
    public var mergeFiles: [String]?
    /// `vq batch detect TARGET INPUT...`: a detection per image, in `--format json|coco|yolo|csv`.
    public var detect: DetectOptions?

    /// What `vq batch status|cancel` does.
    public enum ProviderBatchAction: String, Sendable, CaseIterable { case status, cancel }

    public init() {}

    public subscript<Value>(dynamicMember path: WritableKeyPath<BatchSettings, Value>) -> Value {
        get { settings[keyPath: path] }
        set { settings[keyPath: path] = newValue }
    }

    init(_ parsed: ParsedArguments) throws(VQError) {
        query = try QueryOptions(parsed)
        settings = try Self.runSettings(parsed)
        settings.glob = parsed.last(.glob)
        settings.nulSeparated = parsed.has(.null)
        settings.perPage = parsed.has(.perPage)
        settings.perRequest = try QueryOptions.whole(parsed.last(.perRequest), option: "per-request", range: 1...100) ?? 1
        if let list = parsed.last(.profiles) {
            profiles = list.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            guard profiles.count >= 1, Set(profiles).count == profiles.count else {
                throw VQError(.usage, "invalid value '\(list)' for '--profiles': expected distinct profile names separated by commas")
            }
            if parsed.has(.profile) { throw VQError(.usage, "'--profiles' and '-p' cannot be used together (--profiles names every profile)") }
            if parsed.positionals.dropFirst().contains("-") {
                throw VQError(.usage, "'--profiles' reads the inputs once per profile; give them as arguments, not on standard input ('-')")
            }
            if parsed.has(.providerBatch) { throw VQError(.usage, "'--profiles' cannot be used with '--provider-batch' (one provider job per --out file)") }
            if parsed.last(.format) == BatchFormat.csv.rawValue {
                throw VQError(.usage, "'--profiles' writes JSON Lines (CSV rows have no profile column); leave out '--format csv'")
            }
        }
        if query.positionals.first == Self.detectWord {
            detect = try DetectOptions(parsed)
            try checkDetect(parsed)
        } else if let name = [OptionName.points, .classes, .annotate].first(where: parsed.has) {
            throw VQError(.usage, "'--\(name.rawValue)' applies to 'vq batch detect'")
        } else if let text = parsed.last(.format) {
            guard let format = BatchFormat(rawValue: text) else {
                throw VQError(.usage, "invalid value '\(text)' for '--format': expected \(BatchFormat.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            self.format = format
            settings.csv = format == .csv
        }
        settings.log = parsed.has(.log)
        settings.csvRaw = parsed.has(.csvRaw)
        if let text = parsed.last(.sidecar) {
            let ext = text.hasPrefix(".") ? String(text.dropFirst()) : text
            guard !ext.isEmpty, !ext.containsScalars("/") else {
                throw VQError(.usage, "invalid value '\(text)' for '--sidecar': expected a file extension such as txt")
            }
            settings.sidecarExtension = ext
        }
        settings.overwrite = parsed.has(.overwrite)
        if settings.overwrite && settings.sidecarExtension == nil && detect == nil {
            throw VQError(.usage, "'--overwrite' applies to '--sidecar' files (and to vq batch detect's label files)")
        }
        settings.inputsFrom = parsed.last(.inputsFrom)
        if settings.inputsFrom?.isEmpty == true { throw VQError(.usage, "'--inputs-from' needs a non-empty path") }
        settings.providerBatch = parsed.has(.providerBatch)
        detach = parsed.has(.detach)
        if detach && !settings.providerBatch { throw VQError(.usage, "'--detach' applies to '--provider-batch'") }
        settings.retryFailed = parsed.has(.retryFailed)
        if settings.retryFailed && !(settings.providerBatch && settings.resume) {
            throw VQError(.usage, "'--retry-failed' applies to '--provider-batch --resume' (a normal --resume always retries failed images)")
        }
        settings.keepFiles = parsed.has(.keepFiles)
        if settings.keepFiles && !settings.providerBatch { throw VQError(.usage, "'--keep-files' applies to '--provider-batch'") }
        if settings.providerBatch && settings.outFile == nil && !query.dryRun {
            throw VQError(.usage, "'--provider-batch' needs '--out FILE' (the job's state is kept beside it, so it can be resumed)")
        }
        if settings.providerBatch && settings.sidecarExtension != nil {
            throw VQError(.usage, "'--provider-batch' writes to '--out', not to '--sidecar' files")
        }
        if query.positionals.first == "merge" && query.positionals.count > 1 {
            mergeFiles = Array(query.positionals.dropFirst())
            return
        }
        if query.positionals.count == 1, let action = ProviderBatchAction(rawValue: query.positionals[0]) {
            guard settings.outFile != nil else { throw VQError(.usage, "'vq batch \(action.rawValue)' needs '--out FILE' (the file of the provider batch)") }
            providerBatchAction = action
            return
        }
        if query.template == nil { try checkPositionals() }  // with a template, once its prompt is in (applyingTemplate)
    }

    /// The settings every batch-like run reads (`vq batch`, `vq gen --prompts`): jobs, rate, the `--out` file and its
    /// `--resume`, shards and the spending limit.
    static func runSettings(_ parsed: ParsedArguments) throws(VQError) -> BatchSettings {
        var settings = BatchSettings()
        settings.jobs = try QueryOptions.whole(parsed.last(.jobs), option: "jobs", range: 1...256) ?? 4
        settings.ratePerMinute = try parsed.last(.rate).map { (text) throws(VQError) in try Self.rate(text) }
        settings.outFile = parsed.last(.out)
        settings.maxCost = try QueryOptions.number(parsed.last(.maxCost), option: "max-cost", range: 0...1_000_000_000)
        if settings.outFile?.isEmpty == true { throw VQError(.usage, "'--out' needs a non-empty path") }
        settings.resume = parsed.has(.resume)
        if settings.resume && settings.outFile == nil { throw VQError(.usage, "'--resume' needs '--out FILE' (the file it resumes)") }
        settings.shard = try parsed.last(.shard).map { (text) throws(VQError) in try Shard.parse(text) }
        settings.shardCount = try QueryOptions.whole(parsed.last(.shardCount), option: "shard-count", range: 1...1_000_000)
        settings.shardIndexVariable = parsed.last(.shardFromEnv)
        if let name = settings.shardIndexVariable, name.isEmpty || name.containsScalars("=") || name.containsScalars("$") {
            throw VQError(.usage, "invalid value '\(name)' for '--shard-from-env': expected the name of an environment variable, such as SLURM_PROCID")
        }
        return settings
    }

    /// The action word of `vq batch detect`.
    static let detectWord = "detect"

    /// What `vq batch detect` cannot be combined with: each image is its own request, answered in vq's detection JSON.
    private func checkDetect(_ parsed: ParsedArguments) throws(VQError) {
        let refused: [OptionName] = [.perRequest, .perPage, .sidecar, .providerBatch, .profiles, .schema, .template]
        if let name = refused.first(where: parsed.has) { throw VQError(.usage, "'--\(name.rawValue)' cannot be used with 'vq batch detect'") }
    }

    /// A PROMPT and at least one image.
    func checkPositionals() throws(VQError) {
        if detect != nil {
            guard query.positionals.count >= 2, !query.positionals[1].trimmingWhitespaceAndNewlines().isEmpty else {
                throw VQError(.usage, "'vq batch detect' needs TARGET, then images, e.g. vq batch detect \"every person\" images/ --format yolo --out labels/")
            }
            if settings.inputsFrom == nil && query.positionals.count == 2 {
                throw VQError(.usage, "no images: give files, directories, URLs, or - to read a list from standard input")
            }
            return
        }
        if query.positionals.isEmpty {
            throw VQError(.usage, "missing PROMPT; usage: vq batch [OPTIONS] PROMPT [IMAGE|DIR|- ...] (see 'vq batch --help')")
        }
        if query.positionals[0].trimmingWhitespaceAndNewlines().isEmpty { throw VQError(.usage, "the PROMPT is empty") }
        if settings.inputsFrom != nil {
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
