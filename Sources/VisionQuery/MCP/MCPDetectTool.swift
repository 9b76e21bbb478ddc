import FoundationEssentials
import Platform
import Transport

/// The `detect` tool: `vq detect` as a tool, one `DetectionRun` on one image (a path inside the roots or inline image
/// content), its boxes or points in the original image's pixels as the structured result.
struct MCPDetectTool {
    let environment: [String: String]
    let config: ConfigFile?
    let client: HTTPClient
    let profiles: MCPProfileChoice

    static let arguments: Set<String> = ["target", "image", "points", "profile", "model"]

    /// Runs the call; every failure is a tool error with vq's one-line message.
    func call(_ values: [String: Any], call: MCPCall, access: @escaping () throws(VQError) -> MCPFileAccess) -> MCPToolResult {
        let tool = MCPToolName.detect.rawValue
        let scratch: MCPScratchDirectory
        do { scratch = try MCPScratchDirectory() } catch { return .failure(error.message) }
        defer { scratch.remove() }
        do throws(VQError) {
            let arguments = MCPArguments(tool: tool, values: values)
            try arguments.rejectUnknown(Self.arguments)
            let target = try arguments.string("target", required: true)!
            guard let image = values["image"], !(image is JSONNull) else { throw VQError(.usage, "\(tool): 'image' is required") }
            let path = try MCPInputs(tool: tool, access: access, scratch: scratch).resolve(image, argument: "image")
            var options = QueryOptions()
            options.profile = try profiles.choose(arguments.string("profile"))
            options.model = try arguments.string("model")
            options.log = config?.log != false
            let kind: DetectionKind = try arguments.flag("points") ? .points : .boxes

            let sink = MCPRunSink(call: call)
            var session = try QuerySession(
                options: options, config: config, environment: environment, stream: false, deferKey: true, warn: { [sink] in sink.warning($0) },
                debug: nil)
            session.transfer.cancellation = call.cancellation
            let detection = try DetectionRun(
                session: session, kind: kind, policy: OutputPolicy(options: options, showsProgress: false), sink: sink,
                client: session.retrying(client) { [call] in call.progress($0) },
                saver: ImageSaver(directory: scratch.path, maxImages: session.profile.limits.maxSavedImages),
                transcript: Transcript(log: QueryLog(environment: environment, writes: options.log) { [sink] in sink.warning($0) }, continuing: nil))
            detection.readStandardInput = { Data() }
            call.progress("asking \(session.profile.name) to find \(target)", done: 0, total: 1)
            guard let result = try detection.run(DetectionRequest(target: target, input: path)) else {
                throw VQError(.unavailable, "\(tool): no detection result")
            }
            var object = result.jsonObject
            object["image"] = image is String ? image : "inline image"
            object["profile"] = session.profile.name
            object["usage"] = result.exchange.outcome.usage?.jsonObject ?? JSONNull()
            object["warnings"] = sink.warnings
            return MCPToolResult(content: [MCPToolResult.text(JSONWriter.text(object))], structured: object)
        } catch {
            return .failure(error.message)
        }
    }
}
