import FoundationEssentials
import Glibc
import VisionQuery

/// `vq batch [OPTIONS] PROMPT [INPUT|DIR|- ...]`: VisionQuery's `BatchRun` (or the provider's batch API), one line
/// per input.
struct BatchCommand {
    let options: BatchOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) -> Int32 {
        var query = options.query
        console.apply(OutputPolicy(options: query, showsProgress: false))
        if options.providerBatchAction != nil, let out = options.outFile {
            // Said before the key is looked for: without a job there is nothing to ask the provider about.
            guard let state = try ProviderBatchState.load(besides: out) else {
                throw VQError(.usage, "no provider batch is under way for \(out) (no \(ProviderBatchState.path(besides: out)))")
            }
            // The job lives with the service (and key) it was submitted to: status and cancel ask that profile.
            if query.profile == nil { query.profile = state.profile }
        }
        if !options.profiles.isEmpty { return try runEachProfile() }
        let session = try QuerySession(options: query, config: config, environment: environment, stream: false, console: console)
        if let action = options.providerBatchAction {
            return try ProviderBatchCommand(options: options, session: session, console: console).act(action)
        }
        if query.positionals.dropFirst().contains("-") && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'-' reads a list of images from standard input, but standard input is a terminal; pipe the list in")
        }
        if let detect = options.detect { return try runDetection(detect, session: session) }
        let batch = try BatchRun(
            session: session, settings: options.settings,
            policy: OutputPolicy(options: query, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
            sink: console, prompt: query.positionals[0], environment: environment)
        let plan = try batch.plan(Array(query.positionals.dropFirst()))
        if options.providerBatch {
            return try ProviderBatchCommand(options: options, session: session, console: console).run(plan, batch: batch)
        }
        return try batch.run(plan).rawValue
    }

    /// `vq batch detect TARGET INPUT...`: VisionQuery's `BatchDetection` as the batch's work, its journal as the
    /// batch's `--out`, then its COCO or CSV file written from the journal.
    private func runDetection(_ detect: DetectOptions, session: QuerySession) throws(VQError) -> Int32 {
        var session = session
        var settings = options.settings
        let shard = try ShardResolver.resolve(
            shard: settings.shard, count: settings.shardCount, indexVariable: settings.shardIndexVariable, environment: environment)
        let detection = try BatchDetection(
            target: options.query.positionals[1], kind: detect.points ? .points : .boxes, session: session, format: detect.format,
            out: settings.outFile, classesPath: detect.classes, overwrite: detect.overwrite, neutralisesFormulas: !detect.csvRaw, shard: shard,
            resume: settings.resume, annotateDirectory: detect.annotate)
        session.schema = detection.schema
        session.documents = session.documents.rendering  // a PDF page is found in as the image vq renders
        settings.outFile = detection.journal
        var batch = try BatchRun(
            session: session, settings: settings,
            policy: OutputPolicy(options: options.query, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
            sink: console, prompt: detection.prompt.text, environment: environment)
        let plan = try batch.plan(Array(options.query.positionals.dropFirst(2)))
        batch.itemWork = try detection.work(for: plan.selection)
        let code = try batch.run(plan)
        if !options.query.dryRun && code != .stdoutClosed { try detection.writeExport() }
        return code.rawValue
    }

    /// `--profiles A,B,C`: every session made first (a bad profile or a missing key stops it before anything is
    /// sent), then one batch run per profile into the same output, each resuming its own lines.
    private func runEachProfile() throws(VQError) -> Int32 {
        var sessions: [QuerySession] = []
        for profile in options.profiles {
            var query = options.query
            query.profile = profile
            sessions.append(try QuerySession(options: query, config: config, environment: environment, stream: false, console: console))
        }
        let locked =
            options.query.dryRun ? nil : try options.outFile.map { (path) throws(VQError) in try LockedOutputFile.lock(path) }
        var worst = ExitCode.success
        for session in sessions {
            var settings = options.settings
            settings.journalProfile = session.profile.name
            let batch = try BatchRun(
                session: session, settings: settings,
                policy: OutputPolicy(options: options.query, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
                sink: console, prompt: options.query.positionals[0], environment: environment)
            let code = try batch.run(try batch.plan(Array(options.query.positionals.dropFirst()), locked: locked))
            if code == .stdoutClosed { return code.rawValue }
            if code != .success { worst = code }
        }
        return worst.rawValue
    }
}
