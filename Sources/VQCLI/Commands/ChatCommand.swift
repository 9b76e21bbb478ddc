import Foundation
import Imaging
import Interrupts
import Transport
import VisionQuery

/// `vq chat [OPTIONS] [IMAGE ...]`: one turn per line of standard input (a terminal or a pipe), each answer
/// streamed to stdout, the whole chat logged as one conversation. IMAGE arguments go with the first turn. On a
/// terminal, Ctrl-C stops the answer being written (the transfer is aborted) and the chat goes on.
struct ChatCommand {
    let options: QueryOptions
    let environment: [String: String]
    let console: Console
    let client: HTTPClient
    /// The template's prompt (`-T`), put before the first turn.
    var openingPrompt: String? = nil

    func run() throws(VQError) -> Int32 {
        console.quiet = options.quiet
        console.verbose = options.verbose
        let exchangeLog = QueryLog(environment: environment, writes: options.log) { [console] in console.warning($0) }
        let continued = try exchangeLog.continuation(options.conversation)
        let options = continued?.applied(to: self.options) ?? self.options
        let session = try QuerySession(options: options, environment: environment, stream: options.stream, console: console)
        exchangeLog.writes = options.log && session.config?.log != false
        let saver = ImageSaver(directory: options.outputDirectory ?? ".")
        try saver.checkBeforeSending()
        let interactive = Console.isTerminal(STDIN_FILENO)
        if interactive { InterruptFlag.catching(true) }
        defer { if interactive { InterruptFlag.catching(false) } }
        let stoppable = interactive ? CancellableHTTPClient(base: client) { InterruptFlag.isRaised } : client
        let network = session.retrying(stoppable) { [console] in console.debug($0) }
        let transcript = ChatTranscript(log: exchangeLog, continuing: continued)
        console.showsProgress = TerminalCapabilities(environment: environment).showsProgress
        if interactive {
            console.notice(
                "chat with \(session.profile.name)\(session.profile.model.map { " (\($0))" } ?? ""): /help lists the commands, /exit or Ctrl-D leaves")
        }
        let reader = try ChatTurnReader.make(
            session: session, network: network, images: options.positionals, console: console, environment: environment)
        var opening = openingPrompt
        while let next = try reader.next() {
            let prompt = opening.map { $0 + "\n\n" + next.prompt } ?? next.prompt
            opening = nil
            _ = InterruptFlag.take()
            do throws(VQError) {
                try turn(prompt, images: next.images, session: session, network: network, saver: saver, transcript: transcript)
                reader.attachments.clear()
            } catch {
                if InterruptFlag.take() {
                    console.notice("stopped (Ctrl-C)")
                    continue
                }
                console.error(error.message)
                if !interactive { return ExitCode(error.category).rawValue }  // a script learns which turn failed
            }
        }
        return ExitCode.success.rawValue
    }

    /// Sends one turn with the chat so far as history, streams the answer and logs the exchange.
    private func turn(
        _ prompt: String, images: [String], session: QuerySession, network: HTTPClient, saver: ImageSaver,
        transcript: ChatTranscript
    ) throws(VQError) {
        let loader = session.loader(client: network, inlineImagesPerRequest: session.inlineCount(images), prompt: prompt)
        var query = session.query(prompt: prompt, stream: session.options.stream)
        query.history = transcript.history
        query.attachments = try loader.load(images)
        if let limit = session.profile.maxImages, query.attachments.count > limit {
            throw VQError(
                .badInput, "too many images: \(query.attachments.count) given, profile '\(session.profile.name)' accepts at most \(limit) per request")
        }
        for attachment in query.attachments { console.debug("image \(attachment.summary)") }
        let output = AnswerOutput(console: console, printsText: true, saver: saver)
        let started = Date()
        let outcome: QueryOutcome
        do throws(VQError) {
            outcome = try session.run(query, client: network, sink: output)
        } catch {
            console.endProgress()
            output.finish()
            if !output.text.hasSuffix("\n") && !output.text.isEmpty { console.out("\n") }
            let stopped = InterruptFlag.isRaised ? VQError(error.category, "stopped by Ctrl-C") : error
            transcript.add(
                query: query, profile: session.profile, started: started, outcome: nil, answer: output.text,
                savedImages: output.saved.map(\.path), error: stopped)
            throw stopped
        }
        console.endProgress()
        output.finish()
        if !output.text.hasSuffix("\n") { console.out("\n") }
        transcript.add(
            query: query, profile: session.profile, started: started, outcome: outcome, answer: output.text,
            savedImages: output.saved.map(\.path), error: output.saveFailure)
        if let failure = output.saveFailure { throw failure }
    }
}
