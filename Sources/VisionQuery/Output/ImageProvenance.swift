import FoundationEssentials
import Platform

/// How a generated image was made — prompt, revised prompt, model, profile, options, source images, time — written
/// into each saved file (unless `--no-metadata`), into `--json` and into the log, so a folder of outputs
/// remembers its prompts.
public struct ImageProvenance: Sendable {
    public var prompt: String
    /// The prompt the service actually used (OpenAI's `revised_prompt`), once it is known.
    public var revisedPrompt: String?
    public var model: String
    public var profile: String
    public var api: String
    public var generation: ImageGeneration
    /// The input images' names as given (an edit's sources), without directories.
    public var sources: [String]
    public var created: Date

    public init(query: Query, profile: Profile, created: Date = Date()) {
        prompt = query.prompt
        model = query.model
        self.profile = profile.name
        api = profile.api.rawValue
        generation = query.generation ?? ImageGeneration()
        sources = query.parts.map { PathText.lastComponent($0.name) }
        self.created = created
    }

    /// The ordered fields (the file's JSON and the `provenance` object of `--json`).
    public var fields: [(String, Any)] {
        var fields: [(String, Any)] = [("generator", "vq"), ("prompt", prompt)]
        if let revisedPrompt { fields.append(("revised_prompt", revisedPrompt)) }
        fields += [("model", model), ("profile", profile), ("api", api)]
        fields.append(("options", Dictionary(generation.summary, uniquingKeysWith: { _, last in last })))
        fields.append(("sources", sources))
        fields.append(("created", Date.ISO8601FormatStyle().format(created)))
        return fields
    }

    /// The JSON text written into the file.
    public var json: String { String(decoding: JSONWriter.orderedObject(fields), as: UTF8.self) }

    public var jsonObject: [String: Any] { Dictionary(fields.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last }) }
}
