import Dispatch
import FoundationEssentials
import Platform
import Transport

/// `vq eval`: every case asked of every target through the one exchange run (`CompareRun.ask`), `jobs` at a time
/// under batch's rate limit, each answer scored (by its expectation, or by the judge), each result written to the
/// `--out` file as it comes, so a killed run resumes where it stopped.
public struct EvalRun: Sendable {
    public let cases: [EvalCase]
    public let compare: CompareRun
    public let sessions: [QuerySession]
    /// The judge's session and target, for `judge` expectations.
    public let judge: (target: CompareTarget, session: QuerySession)?
    public let jobs: Int
    public let sink: RunSink

    /// Checks everything before anything is sent: templates named by cases exist, a judge is given when a case
    /// needs one.
    public init(
        cases: [EvalCase], compare: CompareRun, judge: (target: CompareTarget, session: QuerySession)?, jobs: Int, sink: RunSink
    ) throws(VQError) {
        if judge == nil, let needing = cases.first(where: { $0.expectation.kind == "judge" }) {
            throw VQError(.usage, "case '\(needing.id)' is scored by a judge: name its profile with --judge PROFILE")
        }
        for item in cases {
            if let name = item.template, compare.config?.templates.contains(where: { $0.name == name }) != true {
                throw VQError(.config, "case '\(item.id)' names template '\(name)', which the config does not have (see 'vq templates')")
            }
        }
        self.cases = cases
        self.compare = compare
        self.sessions = try compare.sessions()
        self.judge = judge
        self.jobs = jobs
        self.sink = sink
    }

    /// The prompt of a case: its template's prompt first, then its own.
    func prompt(_ item: EvalCase) -> String {
        let template = item.template.flatMap { name in compare.config?.templates.first { $0.name == name }?.settings.prompt }
        return [template, item.prompt].compactMap { $0 }.joined(separator: "\n\n")
    }

    /// Asks and scores every (case, target) pair not in `done`; `write` gets each result as it is scored (false
    /// stops the run: the output cannot be written). Returns the new results.
    public func run(skipping done: Set<EvalPair>, write: @escaping @Sendable (EvalResult) -> Bool) -> [EvalResult] {
        let work = cases.flatMap { item in
            compare.targets.indices.compactMap { index in
                done.contains(EvalPair(caseID: item.id, profile: compare.targets[index].label)) ? nil : (item, index)
            }
        }
        let queue = WorkQueue(work)
        let results = ResultList()
        let group = DispatchGroup()
        for _ in 0..<min(jobs, max(1, work.count)) {
            group.enter()
            BackgroundThread.start { [self] in
                while let (item, index) = queue.next() {
                    let result = score(item, target: compare.targets[index], session: sessions[index])
                    results.append(result)
                    if !write(result) {
                        queue.stop()
                        break
                    }
                    sink.progress("eval: \(results.count)/\(work.count) done")
                }
                group.leave()
            }
        }
        group.wait()
        sink.endProgress()
        return results.values
    }

    /// One case on one target: the answer and its verdict, or why there is none.
    func score(_ item: EvalCase, target: CompareTarget, session: QuerySession) -> EvalResult {
        let prompt = prompt(item)
        let answer = compare.ask(target: target, session: session, prompt: prompt, inputs: item.images)
        var result = EvalResult(caseID: item.id, profile: target.label, kind: item.expectation.kind)
        result.latency = answer.latency
        result.model = answer.result?.outcome.model ?? target.model ?? session.profile.model
        result.usage = answer.result?.outcome.usage
        result.cost = answer.result?.outcome.cost
        guard let text = answer.result?.text, answer.error == nil else {
            result.error = answer.error?.message ?? "no answer"
            return result
        }
        result.answer = text
        guard case .judge(let criteria) = item.expectation else {
            result.verdict = item.expectation.verdict(for: text)
            return result
        }
        guard let judge else { preconditionFailure("EvalRun.init requires a judge for judge cases") }
        let ruling = compare.ask(
            target: judge.target, session: judge.session, prompt: EvalJudge.prompt(question: prompt, answer: text, criteria: criteria),
            inputs: item.images)
        if let reply = ruling.result?.text, let verdict = EvalJudge.verdict(reply) {
            result.verdict = verdict
        } else {
            result.error = "the judge (\(judge.target.label)) " + (ruling.error.map { "failed: \($0.message)" } ?? "answered neither PASS nor FAIL")
        }
        return result
    }
}

/// The (case, target) pairs still to do, handed out one at a time.
private final class WorkQueue: @unchecked Sendable {
    private let lock = Lock()
    private var items: [(EvalCase, Int)]
    private var position = 0

    init(_ items: [(EvalCase, Int)]) { self.items = items }

    func next() -> (EvalCase, Int)? {
        lock.withLock {
            guard position < items.count else { return nil }
            position += 1
            return items[position - 1]
        }
    }

    func stop() { lock.withLock { position = items.count } }
}

/// Results gathered from the worker threads.
private final class ResultList: @unchecked Sendable {
    private let lock = Lock()
    private var list: [EvalResult] = []

    func append(_ result: EvalResult) { lock.withLock { list.append(result) } }
    var count: Int { lock.withLock { list.count } }
    var values: [EvalResult] { lock.withLock { list } }
}
