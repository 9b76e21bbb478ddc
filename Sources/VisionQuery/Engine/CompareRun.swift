import Dispatch
import FoundationEssentials
import Platform
import Transport

/// One profile (or model) `vq compare` and `vq eval` ask.
public struct CompareTarget: Equatable, Sendable {
    public var profile: String?
    public var model: String?
    /// What results are keyed by: the profile, or the model when the targets differ by model.
    public var label: String

    public init(profile: String?, model: String?, label: String) {
        self.profile = profile
        self.model = model
        self.label = label
    }

    /// The targets `-p` and `-m` given several times name: each profile (with the one model, if given), or each model
    /// on the one profile. Both repeated, or fewer than two targets, is a usage error naming `command`.
    public static func targets(profiles: [String], models: [String], command: String) throws(VQError) -> [CompareTarget] {
        if profiles.count > 1 && models.count > 1 {
            throw VQError(.usage, "'\(command)' takes several -p PROFILE or several -m MODEL, not both (compare models of one profile, or profiles)")
        }
        if models.count > 1 { return models.map { CompareTarget(profile: profiles.first, model: $0, label: $0) } }
        return profiles.map { CompareTarget(profile: $0, model: models.first, label: $0) }
    }
}

/// What one target answered: the exchange's result (outcome with usage and cost) or its error, and how long it took.
public struct CompareAnswer: Sendable {
    public var target: CompareTarget
    /// The profile the exchange used (the default one when the target names none).
    public var profile: String
    public var result: ExchangeResult?
    public var error: VQError?
    public var latency: Double
    /// Warnings the exchange gave (ignored options, "to fit" notes that were warnings).
    public var warnings: [String]

    /// The result object (`ResultObject`, as `vq --json` prints it) with `latency_s`.
    public var jsonObject: [String: Any] {
        let outcome = result?.outcome ?? QueryOutcome()
        var object = ResultObject(
            profile: profile, model: outcome.model ?? target.model, finishReason: outcome.finishReason, usage: outcome.usage,
            cost: outcome.cost, savedImages: result?.savedImages ?? [], error: error?.message
        ).query(
            text: result?.text ?? "", outcome: outcome, incomplete: false, exitCode: error.map { Int(ExitCode($0.category).rawValue) } ?? 0,
            logged: nil)
        object["latency_s"] = (latency * 1000).rounded() / 1000
        return object
    }
}

/// Asks several profiles the same question at once, each through the one exchange run (`ExchangeRun`) with its own
/// session and a collecting sink; used by `vq compare` and, case by case, by `vq eval`.
public struct CompareRun: Sendable {
    public let options: QueryOptions
    public let config: ConfigFile?
    public let environment: [String: String]
    public let targets: [CompareTarget]
    /// The network for one target's exchange (each gets its own, retrying per its profile).
    public let client: @Sendable () -> HTTPClient
    public let log: QueryLog
    /// Reads standard input once for every target's `-` input.
    public var readStandardInput: @Sendable () -> Data = { FileIO.readStandardInput() }

    public init(
        options: QueryOptions, config: ConfigFile?, environment: [String: String], targets: [CompareTarget], log: QueryLog,
        client: @escaping @Sendable () -> HTTPClient
    ) {
        self.options = options
        self.config = config
        self.environment = environment
        self.targets = targets
        self.log = log
        self.client = client
    }

    /// Each target's session, made before anything is sent: a bad profile name or option fails the whole command.
    public func sessions() throws(VQError) -> [QuerySession] {
        var sessions: [QuerySession] = []
        for target in targets {
            var options = self.options
            options.profile = target.profile ?? options.profile
            options.model = target.model ?? options.model
            sessions.append(
                try QuerySession(options: options, config: config, environment: environment, stream: false, deferKey: true, warn: { _ in }, debug: nil))
        }
        return sessions
    }

    /// Asks every target `prompt` about `inputs` concurrently (one thread each); answers in the targets' order.
    public func run(prompt: String, inputs: [String], sessions: [QuerySession]) -> [CompareAnswer] {
        let answers = AnswerSlots(count: targets.count)
        let group = DispatchGroup()
        for (index, session) in sessions.enumerated() {
            group.enter()
            let target = targets[index]
            BackgroundThread.start { [self] in
                answers.set(index, ask(target: target, session: session, prompt: prompt, inputs: inputs))
                group.leave()
            }
        }
        group.wait()
        return answers.values
    }

    /// One target's exchange, start to end.
    public func ask(target: CompareTarget, session: QuerySession, prompt: String, inputs: [String]) -> CompareAnswer {
        let sink = CollectingSink()
        var policy = OutputPolicy()
        policy.json = true  // nothing streams; the result object goes to the collecting sink
        let started = Date()
        let run = ExchangeRun(
            session: session, policy: policy, sink: sink, client: session.retrying(client()) { _ in },
            saver: ImageSaver(directory: options.outputDirectory ?? "."), transcript: Transcript(log: log, continuing: nil))
        run.readStandardInput = readStandardInput
        var answer = CompareAnswer(target: target, profile: session.profile.name, latency: 0, warnings: [])
        do throws(VQError) {
            answer.result = try run.run(ExchangeRequest(prompt: prompt, inputs: inputs))
        } catch {
            answer.error = error
        }
        answer.latency = Date().timeIntervalSince(started)
        answer.warnings = sink.messages.filter { $0.hasPrefix("warning: ") }.map { String($0.dropFirst("warning: ".count)) }
        return answer
    }
}

/// Answers written from several threads into their places.
private final class AnswerSlots: @unchecked Sendable {
    private let lock = Lock()
    private var slots: [CompareAnswer?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ answer: CompareAnswer) { lock.withLock { slots[index] = answer } }

    var values: [CompareAnswer] { lock.withLock { slots.compactMap { $0 } } }
}
