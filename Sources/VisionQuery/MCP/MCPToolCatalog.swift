import FoundationEssentials

/// The tools `vq mcp` offers, as `tools/list` shows them: name, description, JSON Schema of the arguments and of
/// the structured result. A new tool (generate_image, edit_image, detect) adds its definition here and its case
/// in `MCPToolName` and `MCPToolbox`.
enum MCPToolName: String, CaseIterable {
    case ask
    case listProfiles = "list_profiles"
    case listModels = "list_models"
}

/// Tool definitions for `tools/list`.
enum MCPToolCatalog {
    static var tools: [[String: Any]] { MCPToolName.allCases.map(definition) }

    static func definition(_ tool: MCPToolName) -> [String: Any] {
        switch tool {
        case .ask:
            return [
                "name": tool.rawValue, "title": "Ask a vision model",
                "description":
                    "Ask a vision model about images or PDFs: local paths (inside the client's roots or the directories vq's config allows), http(s) URLs, or inline image content. Returns the answer text; with `schema`, the answer as a checked JSON object in `output`.",
                "inputSchema": object(
                    [
                        "prompt": ["type": "string", "description": "What to ask about the inputs"],
                        "inputs": [
                            "type": "array",
                            "description":
                                "Images or documents, in order: a path, a file:// URI or an http(s) URL, or MCP image content ({type: image, data: base64, mimeType})",
                            "items": ["oneOf": [["type": "string"], inlineImage]],
                        ],
                        "profile": ["type": "string", "description": "vq profile (see list_profiles); default: the config's"],
                        "model": ["type": "string", "description": "Model id (see list_models); default: the profile's"],
                        "system": ["type": "string", "description": "System prompt"],
                        "schema": [
                            "type": ["object", "string"],
                            "description":
                                "JSON Schema the answer must follow (or vq's concise form, e.g. \"name, age:int\"); the checked object is returned in output",
                        ],
                        "max_tokens": ["type": "integer", "minimum": 1, "description": "Upper bound on the answer's tokens"],
                        "temperature": ["type": "number", "minimum": 0, "maximum": 2],
                    ], required: ["prompt"]),
                "outputSchema": object(
                    [
                        "text": ["type": "string", "description": "The answer as the model gave it"],
                        "output": ["description": "With schema: the answer checked against it"],
                        "profile": ["type": ["string", "null"]], "model": ["type": ["string", "null"]],
                        "finish_reason": ["type": ["string", "null"]],
                        "usage": ["type": ["object", "null"]],
                        "saved_images": ["type": "array", "items": ["type": "string"], "description": "Paths of images the model returned"],
                        "warnings": ["type": "array", "items": ["type": "string"]],
                        "id": ["type": ["integer", "null"], "description": "The exchange's id in vq's log (vq logs show ID)"],
                    ], required: ["text", "saved_images"]),
                "annotations": ["readOnlyHint": true, "openWorldHint": true],
            ]
        case .listProfiles:
            return [
                "name": tool.rawValue, "title": "List vq profiles",
                "description":
                    "The vq profiles this server may use: name, api, model, base URL, whether a key is available (never the key), which is the default.",
                "inputSchema": object([:], required: []),
                "outputSchema": object(
                    ["profiles": ["type": "array", "items": ["type": "object"]], "default": ["type": ["string", "null"]]],
                    required: ["profiles"]),
                "annotations": ["readOnlyHint": true, "openWorldHint": false],
            ]
        case .listModels:
            return [
                "name": tool.rawValue, "title": "List a profile's models",
                "description": "The models the profile's service offers to its key (asks the service).",
                "inputSchema": object(["profile": ["type": "string", "description": "vq profile; default: the config's"]], required: []),
                "outputSchema": object(
                    ["profile": ["type": "string"], "models": ["type": "array", "items": ["type": "string"]]], required: ["profile", "models"]),
                "annotations": ["readOnlyHint": true, "openWorldHint": true],
            ]
        }
    }

    /// MCP image content passed as an input.
    private static var inlineImage: [String: Any] {
        [
            "type": "object",
            "properties": ["type": ["const": "image"], "data": ["type": "string", "description": "base64"], "mimeType": ["type": "string"]],
            "required": ["data"],
        ]
    }

    private static func object(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }
}
