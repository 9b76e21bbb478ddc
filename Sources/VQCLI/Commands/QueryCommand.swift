import FoundationEssentials
import Glibc
import Transport
import VisionQuery

/// `vq [OPTIONS] PROMPT [INPUT ...]`: one exchange through VisionQuery's `ExchangeRun`.
struct QueryCommand {
    let options: QueryOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options, showsProgress: false))
        let stdinIsTerminal = Console.isTerminal(STDIN_FILENO)
        let stdin = StandardInput()
        let log = QueryLog(environment: environment, writes: options.log) { [console] in console.warning($0) }
        let continued = try log.continuation(options.conversation)
        let options = continued?.applied(to: self.options) ?? self.options
        let history = try options.messagesFile.map { (path) throws(VQError) in try Conversation.load(path: path) }
        let (prompt, inputs) =
            history != nil && options.positionals.isEmpty
            ? ("", []) : try PromptSource.split(options.positionals, stdinIsTerminal: stdinIsTerminal, readStdin: stdin.read)
        if inputs.contains("-") && stdinIsTerminal {
            throw VQError(.usage, "'-' reads an image from standard input, but standard input is a terminal; pipe the image in")
        }
        var session = try QuerySession(options: options, config: config, environment: environment, stream: options.stream, deferKey: true, console: console)
        session.transfer.cancellation = console.stdoutCancellation  // a reader that goes away stops the download
        log.writes = options.log && session.config?.log != false
        let run = ExchangeRun(
            session: session, policy: OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress),
            sink: console, client: session.retrying(client) { [console] in console.debug($0) },
            saver: ImageSaver(
                directory: options.outputDirectory ?? ".", singleFile: options.outputFile, maxImages: session.profile.limits.maxSavedImages),
            transcript: Transcript(log: log, continuing: continued))
        run.readStandardInput = stdin.read
        let result = try run.run(ExchangeRequest(prompt: prompt, inputs: inputs + (options.clipboard ? [InputLoader.clipboardArgument] : []), history: history))
        return result.stdoutClosed ? ExitCode.stdoutClosed.rawValue : ExitCode.success.rawValue
    }
}
