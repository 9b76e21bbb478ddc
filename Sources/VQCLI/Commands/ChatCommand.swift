import FoundationEssentials
import Glibc
import Interrupts
import Transport
import VisionQuery

/// `vq chat [OPTIONS] [INPUT ...]`: one turn per line of standard input (a terminal or a pipe), each turn one
/// `ExchangeRun` with the chat so far as history, logged as one conversation. INPUT arguments go with the first turn.
/// On a terminal, Ctrl-C stops the answer being written (the transfer is aborted) and the chat goes on.
struct ChatCommand {
    let options: QueryOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient
    /// The template's prompt (`-T`), put before the first turn.
    var openingPrompt: String? = nil

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options, showsProgress: false))
        let log = QueryLog(environment: environment, writes: options.log) { [console] in console.warning($0) }
        let continued = try log.continuation(options.conversation)
        let options = continued?.applied(to: self.options) ?? self.options
        if options.positionals.contains("-") { throw VQError(.usage, "'vq chat' reads turns from standard input; '-' cannot be an image here") }
        let session = try QuerySession(options: options, config: config, environment: environment, stream: options.stream, console: console)
        log.writes = options.log && session.config?.log != false
        let interactive = Console.isTerminal(STDIN_FILENO)
        let stoppable = interactive ? CancellableHTTPClient(base: client) { InterruptFlag.isRaised } : client
        let run = ExchangeRun(
            session: session, policy: ChatLoop.policy(options, environment: environment), sink: console,
            client: session.retrying(stoppable) { [console] in console.debug($0) },
            saver: ImageSaver(directory: options.outputDirectory ?? ".", maxImages: session.profile.limits.maxSavedImages),
            transcript: Transcript(log: log, continuing: continued))
        run.wasStopped = { InterruptFlag.isRaised }
        let reader = try ChatTurnReader.make(
            session: session, network: run.client, images: options.positionals + (options.clipboard ? [InputLoader.clipboardArgument] : []), console: console,
            environment: environment)
        var loop = ChatLoop(console: console, interactive: interactive, opening: openingPrompt, reader: reader)
        return loop.run { (turn) throws(VQError) in
            _ = try run.run(turn)
        } banner: {
            "chat with \(session.profile.name)\(session.profile.model.map { " (\($0))" } ?? ""): /help lists the commands, /exit or Ctrl-D leaves"
        }
    }
}
