import FoundationEssentials

/// What `vq batch` adds to the query options: concurrency, where the results go, which inputs this run does.
public struct BatchSettings: Sendable, Equatable {
    public var jobs = 4
    public var glob: String?
    public var nulSeparated = false
    public var perRequest = 1
    /// `--per-page`: one request and one result per PDF page.
    public var perPage = false
    /// Requests per minute.
    public var ratePerMinute: Double?
    public var outFile: String?
    /// `--format csv`: RFC 4180 rows instead of JSON Lines.
    public var csv = false
    /// `--csv-raw`: CSV cells are written as they are, not neutralised against spreadsheet formulas.
    public var csvRaw = false
    public var resume = false
    public var sidecarExtension: String?
    public var overwrite = false
    public var shard: Shard?
    public var shardCount: Int?
    /// `--shard-from-env VAR`: the environment variable holding this task's shard index.
    public var shardIndexVariable: String?
    /// `--log`: each request recorded in the conversation log.
    public var log = false
    /// `--provider-batch`: through the provider's own batch API.
    public var providerBatch = false
    /// `--retry-failed`: a resumed provider batch submits failed images again.
    public var retryFailed = false
    /// `--max-cost USD`: the most this run may spend; nil for no limit.
    public var maxCost: Double?
    /// `--profiles`: this run is one of several profiles writing to one `--out` file; its lines are told apart by
    /// their `profile` when resuming.
    public var journalProfile: String?
    /// `--keep-files`: a provider batch leaves its uploaded input and result files at the provider.
    public var keepFiles = false
    /// `--inputs-from FILE`: the inputs listed in FILE instead of input arguments.
    public var inputsFrom: String?

    public init() {}
}
