import FoundationEssentials
import Imaging
import Platform
import Transport

/// The `ask` tool: a prompt about images and documents, run as one `MCPExchange`; inputs checked against the
/// client's roots and `[mcp] allow`, the profile against `[mcp] profiles`.
struct MCPAskTool {
    let exchange: MCPExchange
    let profiles: MCPProfileChoice

    static let arguments: Set<String> = ["prompt", "inputs", "profile", "model", "system", "schema", "max_tokens", "temperature"]

    /// Runs the call; every failure is a tool error with vq's one-line message.
    func call(_ values: [String: Any], call: MCPCall, access: @escaping () throws(VQError) -> MCPFileAccess) -> MCPToolResult {
        let scratch: MCPScratchDirectory
        do { scratch = try MCPScratchDirectory() } catch { return .failure(error.message) }
        defer { scratch.remove() }
        do throws(VQError) {
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
            let inputs = try MCPInputs(tool: "ask", access: access, scratch: scratch).resolve(arguments.array("inputs"), argument: "inputs")
            return try exchange.run(options: options, prompt: prompt, inputs: inputs, call: call, scratch: scratch)
        } catch {
            return .failure(error.message)
        }
    }

    /// `schema` as text `AnswerSchema` reads: an object as JSON, a string in the concise form (or inline JSON);
    /// never a file name, which would reach outside the roots.
    private func schemaText(_ value: Any?) throws(VQError) -> String? {
        guard let value, !(value is JSONNull) else { return nil }
        if let object = value as? [String: Any] { return JSONWriter.text(object) }
        guard let text = value as? String else { throw VQError(.usage, "ask: 'schema' must be a JSON Schema object or a string") }
        let schema = try AnswerSchema.load(text, origin: "ask: schema", fileExists: { _ in false })
        return JSONWriter.text(schema.wireObject)
    }
}
