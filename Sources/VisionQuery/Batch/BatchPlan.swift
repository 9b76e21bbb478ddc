import FoundationEssentials
import Imaging

/// What one batch run will do, settled before anything is prepared or sent: the inputs of its shard minus those
/// already answered (in `--out`, or by a sidecar), the locked output file, and the CSV header still to write.
public struct BatchPlan: Sendable {
    public var selection: BatchSelection
    /// The inputs to process, in order.
    public var images: [String]
    /// "3 in other shards", "5 already answered in out.jsonl": said in the summary.
    public var skipped: [String]
    public var answered: AnsweredImages
    /// The locked `--out` file (nil for stdout, and in a dry run).
    public var output: LockedOutputFile?
    public var csv: BatchCSV?
    public var csvHeader: Data?
    public var sidecars: SidecarWriter?
    /// `--per-page`: a document's sidecar holds all its pages' answers, written once the last one is in.
    public var perPage: Bool
    /// This run's shard, when sharded: its `--out` file then gets a `ShardRecord`.
    public var shard: Shard?

    /// Expands `arguments` (each PDF into its pages with `--per-page`), keeps the shard, drops what `--resume` and
    /// `--sidecar` find done. `locked` is the `--out` file when the caller holds it already (several runs into one
    /// file, `--profiles`). `items`, when given, are the items themselves (a prompt list), instead of `arguments`.
    public init(
        arguments: [String], settings: BatchSettings, schema: AnswerSchema?, dryRun: Bool, environment: [String: String],
        pages: PageSelection? = nil, locked: LockedOutputFile? = nil, items: [BatchItem]? = nil
    ) throws(VQError) {
        let shard = try ShardResolver.resolve(
            shard: settings.shard, count: settings.shardCount, indexVariable: settings.shardIndexVariable, environment: environment)
        if dryRun {
            output = nil
        } else if let locked {
            output = locked
        } else {
            output = try settings.outFile.map { (path) throws(VQError) in try LockedOutputFile.lock(path) }
        }
        self.shard = shard
        var inputs = BatchInputs()
        inputs.glob = settings.glob
        inputs.nulSeparated = settings.nulSeparated
        let sidecars = settings.sidecarExtension.map { SidecarWriter(fileExtension: $0, overwrite: settings.overwrite) }
        // --per-page: each PDF becomes its pages; a document whose sidecar is written is done, its pages not opened again.
        let split: ((String) -> [Int]?)? =
            settings.perPage ? { path in sidecars?.isDone(path) == true ? nil : PageItem.pages(of: path, selection: pages) } : nil
        if let items {
            selection = BatchSelection(items)
            if let shard { try selection.keep(shard) }
        } else {
            selection = try BatchSelection.select(
                arguments: arguments, inputs: inputs,
                list: settings.inputsFrom.map { InputListFile(path: $0, nulSeparated: settings.nulSeparated) }, shard: shard, pages: split)
        }
        csv = settings.csv ? BatchCSV(schema: schema, neutralisesFormulas: !settings.csvRaw) : nil
        answered = AnsweredImages()
        if settings.resume, let out = settings.outFile {
            answered = try BatchJournal.answered(
                resuming: output, at: out, csv: csv, keepingFailures: settings.providerBatch && !settings.retryFailed,
                profile: settings.journalProfile)
            try selection.drop(answered, in: out)
        }
        let output = self.output
        csvHeader = dryRun ? nil : try csv.flatMap { (csv) throws(VQError) in try csv.headerToWrite(in: output) }
        images = selection.images
        skipped = selection.skipped
        self.sidecars = sidecars
        perPage = settings.perPage
        if let sidecars {
            let before = images.count
            images = images.filter { !sidecars.isDone(PageItem.split($0)?.path ?? $0) }
            skipped.append("\(before - images.count) with a .\(sidecars.fileExtension) sidecar already")
        }
    }

    /// Key, schema check and sidecar for each result.
    public func finisher(schema: AnswerSchema?) -> BatchResultFinisher {
        var finisher = BatchResultFinisher(selection: selection, schema: schema, sidecars: sidecars)
        if perPage, let sidecars { finisher.pageSidecars = PageSidecars(writer: sidecars, pages: images) }
        return finisher
    }
}
