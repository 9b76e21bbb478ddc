import FoundationEssentials
import Glibc
import Transport
import VisionQuery

/// `vq detect [OPTIONS] TARGET IMAGE`: one `DetectionRun` (VisionQuery's Detection/), printed as one JSON object.
struct DetectCommand {
    let options: QueryOptions
    let detect: DetectOptions
    let config: ConfigFile?
    let environment: [String: String]
    let console: Console
    let client: HTTPClient

    func run() throws(VQError) -> Int32 {
        console.apply(OutputPolicy(options: options, showsProgress: false))
        let (target, input) = (options.positionals[0], options.positionals[1])
        if input == "-" && Console.isTerminal(STDIN_FILENO) {
            throw VQError(.usage, "'-' reads an image from standard input, but standard input is a terminal; pipe the image in")
        }
        let log = QueryLog(environment: environment, writes: options.log) { [console] in console.warning($0) }
        var session = try QuerySession(options: options, config: config, environment: environment, stream: false, deferKey: true, console: console)
        session.transfer.cancellation = console.stdoutCancellation
        log.writes = options.log && session.config?.log != false
        let detection = try DetectionRun(
            session: session, kind: detect.points ? .points : .boxes, masks: detect.masks,
            policy: OutputPolicy(options: options, showsProgress: TerminalCapabilities(environment: environment).showsProgress), sink: console,
            client: session.retrying(client) { [console] in console.debug($0) },
            saver: ImageSaver(directory: ".", maxImages: session.profile.limits.maxSavedImages), transcript: Transcript(log: log, continuing: nil))
        detection.readStandardInput = StandardInput().read
        detection.format = detect.format
        detection.annotation = try detect.annotate.map { (path) throws(VQError) in try DetectionAnnotation(path: path, overwrite: detect.overwrite) }
        if let path = detect.classes { detection.classes = try DetectionClasses(path: path) }
        detection.neutralisesFormulas = !detect.csvRaw
        detection.masksDirectory = options.outputDirectory ?? "."
        let result = try detection.run(DetectionRequest(target: target, input: input))
        return result?.exchange.stdoutClosed == true ? ExitCode.stdoutClosed.rawValue : ExitCode.success.rawValue
    }
}
