import FoundationEssentials
import Platform
import TextFormatting

/// The schema an answer must follow (`--schema`, or a template's `schema`), checked before anything is sent: the
/// top level is an object, every keyword is one vq checks (`SchemaNode.supportedKeywords`).
public struct AnswerSchema: Equatable, Sendable {
    public let root: SchemaNode
    /// The name services want for it (OpenAI's `json_schema.name`, Anthropic's tool name).
    public static let name = "answer"

    public init(root: SchemaNode) throws(SchemaError) {
        guard root.types == [.object] || (root.types.isEmpty && !root.properties.isEmpty) else {
            throw SchemaError("the top level must be an object schema (\"type\": \"object\"); services answer with objects")
        }
        var root = root
        root.types = [.object]
        self.root = root
    }

    /// Top-level property names in order: the columns of `vq batch --format csv`.
    public var columns: [String] { root.properties.map(\.name) }

    /// What services are sent: the checked schema as a JSON object.
    public var wireObject: [String: Any] { root.json.anyValue as? [String: Any] ?? [:] }

    /// The instruction added to the prompt for profiles with `schema_support = false`.
    public var promptInstruction: String {
        "Answer with a single JSON object and nothing else (no prose, no code fence). It must conform to this JSON Schema:\n" + root.json.text
    }

    /// Puts the schema into `query`: in the service's structured-output field when it has one and the profile
    /// allows it (`schema_support`), else as an instruction after the prompt.
    public func ask(in query: inout Query, profile: Profile, provider: any Provider) {
        if profile.schemaSupport && provider.supportsSchema {
            query.schema = self
        } else {
            query.prompt = query.prompt.isEmpty ? promptInstruction : query.prompt + "\n\n" + promptInstruction
        }
    }

    /// Reads `argument` as `--schema` takes it: inline JSON (starts with `{`), a file holding JSON, or the concise
    /// form. `origin` names the source in errors (`--schema`, `template 'alt'`). A file that cannot be read is
    /// `.inputMissing` (66); anything wrong with the schema is `.usage` (64).
    public static func load(
        _ argument: String, origin: String,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws(VQError) -> AnswerSchema {
        let trimmed = argument.trimmingWhitespaceAndNewlines()
        let source: String
        let text: String
        if trimmed.hasPrefix("{") {
            source = origin
            text = trimmed
        } else if fileExists(trimmed) {
            source = "\(origin) \(trimmed)"
            do {
                text = try String(contentsOfFile: trimmed, encoding: .utf8)
            } catch {
                throw VQError(.inputMissing, "\(origin): \(trimmed): cannot read: \(ErrorDescription.reason(error))")
            }
        } else if trimmed.hasSuffix(".json") || trimmed.contains("/") {
            throw VQError(.inputMissing, "\(origin): \(trimmed): no such file")
        } else {
            do {
                return try AnswerSchema(root: ConciseSchema.parse(trimmed))
            } catch {
                throw VQError(.usage, "\(origin): \(error.message)")
            }
        }
        let document: OrderedJSON
        do {
            document = try OrderedJSON.parse(text)
        } catch {
            throw VQError(.usage, "\(source): not valid JSON: \(error.message) at byte \(error.offset)")
        }
        do {
            return try AnswerSchema(root: SchemaNode.parse(document, path: "$"))
        } catch {
            throw VQError(.usage, "\(source): \(error.message)")
        }
    }
}
