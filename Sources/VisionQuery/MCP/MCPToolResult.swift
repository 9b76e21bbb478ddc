import FoundationEssentials

/// The result of one `tools/call`: content blocks for the model to read, the structured object its output schema
/// describes, and `isError` with vq's one-line message when the tool failed (the server goes on serving).
struct MCPToolResult {
    var content: [[String: Any]]
    var structured: [String: Any]?
    var isError = false

    /// A failed call: vq's message as the one text block.
    static func failure(_ message: String) -> MCPToolResult {
        MCPToolResult(content: [text(message)], structured: nil, isError: true)
    }

    /// A text content block.
    static func text(_ text: String) -> [String: Any] { ["type": "text", "text": text] }

    /// An image content block.
    static func image(_ data: Data, mimeType: String) -> [String: Any] {
        ["type": "image", "data": data.base64EncodedString(), "mimeType": mimeType]
    }

    var json: [String: Any] {
        var result: [String: Any] = ["content": content, "isError": isError]
        if let structured { result["structuredContent"] = structured }
        return result
    }
}
