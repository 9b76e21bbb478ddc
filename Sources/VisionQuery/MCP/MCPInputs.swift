import FoundationEssentials

/// Turns the images and documents a tool call names into loader arguments: paths and file URIs checked against the
/// client's roots and `[mcp] allow` (asked for once, on the first path), http(s) URLs as given, inline MCP image
/// content written to the call's scratch directory.
final class MCPInputs {
    let tool: String
    private let access: () throws(VQError) -> MCPFileAccess
    private let scratch: MCPScratchDirectory
    private var checker: MCPFileAccess?

    init(tool: String, access: @escaping () throws(VQError) -> MCPFileAccess, scratch: MCPScratchDirectory) {
        self.tool = tool
        self.access = access
        self.scratch = scratch
    }

    /// Every item of an array argument, in order.
    func resolve(_ items: [Any], argument: String) throws(VQError) -> [String] {
        var arguments: [String] = []
        for (index, item) in items.enumerated() { arguments.append(try resolve(item, argument: "\(argument)[\(index)]")) }
        return arguments
    }

    /// One item: a path, a file URI, an http(s) URL, or image content `{type: image, data: base64, mimeType}`.
    func resolve(_ item: Any, argument: String) throws(VQError) -> String {
        if let text = item as? String {
            if InputLoader.isURL(text) { return text }
            if checker == nil { checker = try access() }
            return try checker!.resolve(text)
        }
        guard let content = item as? [String: Any] else {
            throw VQError(.usage, "\(tool): \(argument) must be a string (path or URL) or image content")
        }
        guard (content["type"] as? String ?? "image") == "image", let base64 = content["data"] as? String,
            let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters), !data.isEmpty
        else {
            throw VQError(.usage, "\(tool): \(argument) must be a path, a URL or image content {type: image, data: base64, mimeType}")
        }
        return try scratch.write(data)
    }
}
