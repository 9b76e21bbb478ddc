import FoundationEssentials
import Imaging
import Platform
import Transport

/// One `ExchangeRun` for an MCP tool (`ask`, `generate_image`, `edit_image`), as `vq --json` would make it: the
/// run's output kept as data instead of printed, progress sent as notifications, returned images saved only to
/// `[mcp] output_dir` (else to the call's scratch directory, returned inline and not kept). Logged like a query.
struct MCPExchange {
    let environment: [String: String]
    let config: ConfigFile?
    let client: HTTPClient

    /// Runs `prompt` on the loader arguments `inputs`; the result as the tool returns it.
    func run(options: QueryOptions, prompt: String, inputs: [String], call: MCPCall, scratch: MCPScratchDirectory) throws(VQError) -> MCPToolResult {
        var options = options
        options.json = true
        options.log = config?.log != false
        let sink = MCPRunSink(call: call)
        var session = try QuerySession(
            options: options, config: config, environment: environment, stream: options.stream, deferKey: true, warn: { [sink] in sink.warning($0) },
            debug: nil)
        session.transfer.cancellation = call.cancellation
        var policy = OutputPolicy(options: options, showsProgress: false)
        policy.quiet = false
        let saveDirectory = config?.mcp.outputDirectory ?? scratch.path
        let run = ExchangeRun(
            session: session, policy: policy, sink: sink, client: session.retrying(client) { [call] in call.progress($0) },
            saver: ImageSaver(directory: saveDirectory, maxImages: session.profile.limits.maxSavedImages),
            transcript: Transcript(log: QueryLog(environment: environment, writes: options.log) { [sink] in sink.warning($0) }, continuing: nil))
        run.readStandardInput = { Data() }
        if inputs.isEmpty {
            call.progress("asking \(session.profile.name)")
        } else {
            call.progress("asking \(session.profile.name) about \(inputs.count) input(s): preparing them", done: 0, total: inputs.count)
        }
        let result = try run.run(ExchangeRequest(prompt: prompt, inputs: inputs))
        return Self.answer(sink: sink, savedImages: result.savedImages, kept: config?.mcp.outputDirectory != nil)
    }

    /// The result: the answer text (or the checked object) to read, returned images inline, the result object of
    /// `vq --json` as the structured content (saved paths only when they are kept).
    static func answer(sink: MCPRunSink, savedImages: [String], kept: Bool) -> MCPToolResult {
        var object = sink.result ?? ["text": sink.output]
        for field in ["exit_code", "incomplete", "error"] { object.removeValue(forKey: field) }
        object["saved_images"] = kept ? savedImages : [String]()
        object["warnings"] = sink.warnings
        var content: [[String: Any]] = []
        if let output = object["output"], !(output is JSONNull) {
            content.append(MCPToolResult.text(JSONWriter.text(output)))
        } else if let text = object["text"] as? String, !text.isEmpty || savedImages.isEmpty {
            content.append(MCPToolResult.text(text))
        }
        for path in savedImages {
            guard let data = FileManager.default.contents(atPath: path), case .image(let format) = ImageSniffer.sniff(data) else { continue }
            content.append(MCPToolResult.image(data, mimeType: format.mimeType))
            if kept { content.append(MCPToolResult.text("saved: \(path)")) }
        }
        return MCPToolResult(content: content, structured: object)
    }
}
