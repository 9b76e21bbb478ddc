import FoundationEssentials
import TextFormatting
import Transport
import VisionQuery

/// `vq eval CASES.jsonl -p A [-p B]`: wires VisionQuery's `EvalRun` to the cases file, the locked `--out` file (resumed
/// with `--resume`), batch's throttle, and prints the score table; exit 1 under `--min-score` or when a case failed.
struct EvalCommand {
    let options: EvalOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options.query, showsProgress: TerminalCapabilities(environment: environment).showsProgress))
        let cases = try EvalCaseFile.load(path: options.casesPath)
        let throttle = RequestThrottle(perMinute: options.ratePerMinute, maxConcurrent: options.jobs)
        let throttled = ThrottledHTTPClient(base: client, throttle: throttle, maxWait: options.query.retryMaxWait ?? 60)
        let log = QueryLog(environment: environment, writes: false) { _ in }
        let compare = CompareRun(options: options.query, config: config, environment: environment, targets: options.targets, log: log) { throttled }
        let judge = try options.judge.map { (name) throws(VQError) -> (target: CompareTarget, session: QuerySession) in
            let target = CompareTarget(profile: name, model: nil, label: name)
            var judgeOptions = options.query
            judgeOptions.schema = nil
            let run = CompareRun(options: judgeOptions, config: config, environment: environment, targets: [target], log: log) { throttled }
            return (target, try run.sessions()[0])
        }
        let eval = try EvalRun(cases: cases, compare: compare, judge: judge, jobs: options.jobs, sink: console)

        let file = try options.outFile.map { (path) throws(VQError) in try LockedOutputFile.lock(path) }
        var earlier: [EvalResult] = []
        var done = Set<EvalPair>()
        if let file {
            let data = try file.contents()
            if options.resume {
                let (answered, kept) = EvalJournal.read(data)
                if kept.count != data.count { try file.replace(with: kept) }
                (done, earlier) = (answered, EvalJournal.results(kept))
                console.notice("resuming \(file.path): \(done.count) result(s) kept")
            } else if !data.isEmpty {
                throw VQError(.cannotCreate, "\(file.path) already holds results: add --resume to continue them, or choose another --out file")
            }
        }
        let writer = file.map { BatchLineWriter(console: console, file: $0) }
        if let writer, options.csv, try file?.contents().isEmpty == true, !writer.write(Data(EvalResult.csvHeaderLine.utf8)) {
            throw VQError(.cannotCreate, "\(writer.path ?? ""): cannot write the CSV header")
        }
        let csv = options.csv
        let results = eval.run(skipping: done) { [console] result in
            if let error = result.error { console.warning("\(result.caseID) on \(result.profile): \(error)") }
            guard let writer else { return true }
            return writer.write(csv ? result.csvRow() : result.jsonLine())
        }
        let board = EvalScoreboard(profiles: options.targets.map(\.label), results: earlier + results)
        if options.query.json {
            console.out(JSONText.render(board.jsonObject, pretty: true) + "\n")
        } else {
            console.out(TextTable.render(board.table))
        }
        let errors = board.rows.reduce(0) { $0 + $1.errors }
        if let minimum = options.minScore, board.lowestPassRate < minimum {
            console.error(
                "a profile scored \(DecimalText.fixed(board.lowestPassRate * 100, places: 1))%, under --min-score \(DecimalText.fixed(minimum * 100, places: 1))%"
            )
            return ExitCode.partialFailure.rawValue
        }
        return errors > 0 ? ExitCode.partialFailure.rawValue : ExitCode.success.rawValue
    }
}
