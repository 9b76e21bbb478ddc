import FoundationEssentials
import Imaging
import Platform
import Transport

/// The `ask` tool: one `ExchangeRun`, as `vq --json` would make it, with the run's output collected instead of
/// printed; inputs checked against the client's roots and `[mcp] allow`, the profile against `[mcp] profiles`,
/// returned images saved only to `[mcp] output_dir`. Logged like a query.
struct MCPAskTool {
    let environment: [String: String]
    let config: ConfigFile?
    let client: HTTPClient
    let profiles: MCPProfileChoice

    static let arguments: Set<String> = ["prompt", "inputs", "profile", "model", "system", "schema", "max_tokens", "temperature"]

    /// Runs the call; every failure is a tool error with vq's one-line message.
    func call(_ values: [String: Any], call: MCPCall, access: () throws(VQError) -> MCPFileAccess) -> MCPToolResult {
        let scratch: MCPScratchDirectory
        do { scratch = try MCPScratchDirectory() } catch { return .failure(error.message) }
        defer { scratch.remove() }
        do throws(VQError) {
            return try ask(values, call: call, access: access, scratch: scratch)
        } catch {
            return .failure(error.message)
        }
    }

    private func ask(
        _ values: [String: Any], call: MCPCall, access: () throws(VQError) -> MCPFileAccess, scratch: MCPScratchDirectory
    ) throws(VQError) -> MCPToolResult {
        let arguments = MCPArguments(tool: "ask", values: values)
        try arguments.rejectUnknown(Self.arguments)
        let prompt = try arguments.string("prompt", required: true)!
        var options = QueryOptions()
        options.profile = try profiles.choose(arguments.string("profile"))
        options.model = try arguments.string("model")
        options.system = try arguments.string("system")
        options.maxTokens = try arguments.whole("max_tokens", minimum: 1)
        options.temperature = try arguments.number("temperature", in: 0...2)
        options.schema = try schemaText(values["schema"])
        options.json = true
        options.log = config?.log != false
        let inputs = try inputs(arguments.array("inputs"), access: access, scratch: scratch)

        let sink = MCPRunSink(call: call)
        var session = try QuerySession(
            options: options, config: config, environment: environment, stream: true, deferKey: true, warn: { [sink] in sink.warning($0) },
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
        call.progress("asking \(session.profile.name)\(inputs.isEmpty ? "" : " about \(inputs.count) input(s)")")
        let result = try run.run(ExchangeRequest(prompt: prompt, inputs: inputs))
        return answer(sink: sink, savedImages: result.savedImages, kept: config?.mcp.outputDirectory != nil)
    }

    /// The result: the answer text (or the checked object) to read, returned images inline, the result object of
    /// `vq --json` as the structured content (saved paths only when they are kept).
    private func answer(sink: MCPRunSink, savedImages: [String], kept: Bool) -> MCPToolResult {
        var object = (try? JSONReader.value(Data(sink.output.utf8))) as? [String: Any] ?? ["text": sink.output]
        for field in ["exit_code", "incomplete", "error"] { object.removeValue(forKey: field) }
        object["saved_images"] = kept ? savedImages : [String]()
        object["warnings"] = sink.warnings
        var content: [[String: Any]] = []
        if let output = object["output"], !(output is JSONNull) {
            content.append(MCPToolResult.text(JSONText.render(output)))
        } else {
            content.append(MCPToolResult.text(object["text"] as? String ?? ""))
        }
        for path in savedImages {
            guard let data = FileManager.default.contents(atPath: path), case .image(let format) = ImageSniffer.sniff(data) else { continue }
            content.append(MCPToolResult.image(data, mimeType: format.mimeType))
            if kept { content.append(MCPToolResult.text("saved: \(path)")) }
        }
        return MCPToolResult(content: content, structured: object)
    }

    /// The `inputs` as loader arguments: paths checked against the allowed directories, inline images written to
    /// the call's scratch directory.
    private func inputs(_ items: [Any], access: () throws(VQError) -> MCPFileAccess, scratch: MCPScratchDirectory) throws(VQError) -> [String] {
        var arguments: [String] = []
        var checker: MCPFileAccess?
        for (index, item) in items.enumerated() {
            if let text = item as? String {
                if InputLoader.isURL(text) {
                    arguments.append(text)
                    continue
                }
                if checker == nil { checker = try access() }
                arguments.append(try checker!.resolve(text))
            } else if let content = item as? [String: Any] {
                guard (content["type"] as? String ?? "image") == "image", let base64 = content["data"] as? String,
                    let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !data.isEmpty
                else {
                    throw VQError(.usage, "ask: inputs[\(index)] must be a path, a URL or image content {type: image, data: base64, mimeType}")
                }
                arguments.append(try scratch.write(data))
            } else {
                throw VQError(.usage, "ask: inputs[\(index)] must be a string (path or URL) or image content")
            }
        }
        return arguments
    }

    /// `schema` as text `AnswerSchema` reads: an object as JSON, a string in the concise form (or inline JSON);
    /// never a file name, which would reach outside the roots.
    private func schemaText(_ value: Any?) throws(VQError) -> String? {
        guard let value, !(value is JSONNull) else { return nil }
        if let object = value as? [String: Any] { return JSONText.render(object) }
        guard let text = value as? String else { throw VQError(.usage, "ask: 'schema' must be a JSON Schema object or a string") }
        let schema = try AnswerSchema.load(text, origin: "ask: schema", fileExists: { _ in false })
        return JSONText.render(schema.wireObject)
    }
}
