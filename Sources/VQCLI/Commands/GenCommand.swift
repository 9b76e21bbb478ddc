import FoundationEssentials
import Glibc
import Transport
import VisionQuery

/// `vq gen [OPTIONS] PROMPT [IMAGE ...]`: makes images (an edit when IMAGEs are given) through VisionQuery's
/// `ExchangeRun`, the query's `generation` carrying the image maker's options; `vq gen --prompts FILE`: one
/// `BatchRun` over the prompt list, each item with its own prompt and images (with `--provider-batch`, through the
/// provider's batch API as `vq batch` sends one).
struct GenCommand {
    let options: QueryOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient
    /// `--prompts FILE` and the batch settings.
    var batch: GenBatchOptions?

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options, showsProgress: false))
        if let batch { return try runPromptList(batch) }
        let inputs = Array(options.positionals.dropFirst())
        if inputs.contains("-") && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'-' reads an image from standard input, but standard input is a terminal; pipe the image in")
        }
        var session = try QuerySession(options: options, config: config, environment: environment, stream: options.stream, deferKey: true, console: console)
        session.transfer.cancellation = console.stdoutCancellation
        let log = QueryLog(environment: environment, writes: options.log && session.config?.log != false) { [console] in console.warning($0) }
        let run = ExchangeRun(
            session: session, policy: OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
            sink: console, client: session.retrying(client) { [console] in console.debug($0) },
            saver: ImageSaver(directory: options.outputDirectory ?? ".", singleFile: options.outputFile),
            transcript: Transcript(log: log, continuing: nil))
        let result = try run.run(ExchangeRequest(prompt: options.positionals[0], inputs: inputs))
        return result.stdoutClosed ? ExitCode.stdoutClosed.rawValue : ExitCode.success.rawValue
    }

    /// The prompt list read and checked first (a bad line stops everything before a key is looked for), then one
    /// batch run, one line per prompt.
    private func runPromptList(_ batch: GenBatchOptions) throws(VQError) -> Int32 {
        if batch.prompts == "-" && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'--prompts -' reads the prompt list from standard input, but standard input is a terminal; pipe the list in")
        }
        let items = try PromptListFile(path: batch.prompts, base: options.generation ?? ImageGeneration()).items()
        let session = try QuerySession(options: options, config: config, environment: environment, stream: false, console: console)
        if batch.settings.providerBatch { try ProviderBatchSupport.checkMakesImages(session) }
        let run = try BatchRun(
            session: session, settings: batch.settings,
            policy: OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
            sink: console, prompt: "", environment: environment)
        if batch.settings.providerBatch { try ProviderBatchSupport.checkEdits(items, sender: run.sender) }
        let plan = try run.plan([], items: items)
        if batch.settings.providerBatch {
            return try ProviderBatchCommand(options: batch.batchOptions(query: options), session: session, console: console).run(plan, batch: run)
        }
        return try run.run(plan).rawValue
    }
}
