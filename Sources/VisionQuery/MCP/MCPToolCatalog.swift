import FoundationEssentials

/// The tools `vq mcp` offers, as `tools/list` shows them: name, description, JSON Schema of the arguments and of
/// the structured result. A new tool adds its definition here and its case in `MCPToolName` and `MCPToolbox`.
enum MCPToolName: String, CaseIterable {
    case ask
    case generateImage = "generate_image"
    case editImage = "edit_image"
    case detect
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
                            "items": input,
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
        case .generateImage, .editImage:
            let editing = tool == .editImage
            var properties = generationProperties
            if editing {
                properties["images"] = [
                    "type": "array", "minItems": 1, "description": "The images to edit, in order: paths, file:// URIs, http(s) URLs or MCP image content",
                    "items": input,
                ]
                properties["mask"] = input.merging(
                    ["description": "A PNG as large as the first image whose transparent pixels mark where to edit (path or image content)"]) { _, new in new }
                properties["fidelity"] = ["enum": ImageGeneration.fidelities, "description": "How closely the edit keeps the input images' features"]
            }
            return [
                "name": tool.rawValue, "title": editing ? "Edit images with an image model" : "Generate images",
                "description":
                    editing
                    ? "Edit images (a mask marks where) with an image model (profiles of api openai, openai-responses or gemini). Returns the images made as image content; with vq's [mcp] output_dir they are also saved there and their paths returned."
                    : "Make images from a prompt with an image model (profiles of api openai, openai-responses or gemini). Returns the images made as image content; with vq's [mcp] output_dir they are also saved there and their paths returned.",
                "inputSchema": object(properties, required: editing ? ["prompt", "images"] : ["prompt"]),
                "outputSchema": object(
                    [
                        "text": ["type": "string", "description": "Any text the model sent with the images"],
                        "profile": ["type": ["string", "null"]], "model": ["type": ["string", "null"]],
                        "revised_prompts": ["type": "array", "items": ["type": "string"], "description": "The prompts the model actually used"],
                        "saved_images": [
                            "type": "array", "items": ["type": "string"],
                            "description": "Paths of the images saved in [mcp] output_dir (empty when it is unset)",
                        ],
                        "usage": ["type": ["object", "null"]], "cost": ["type": ["object", "null"]],
                        "warnings": ["type": "array", "items": ["type": "string"]],
                    ], required: ["saved_images"]),
                "annotations": ["readOnlyHint": false, "destructiveHint": false, "openWorldHint": true],
            ]
        case .detect:
            return [
                "name": tool.rawValue, "title": "Find objects in an image",
                "description":
                    "Find objects in one image with a vision model: each one's label and box [xmin, ymin, xmax, ymax] (or point [x, y] with points) in the image's own pixels, as a viewer shows it (EXIF rotation applied).",
                "inputSchema": object(
                    [
                        "target": ["type": "string", "description": "What to find, e.g. \"every person\" or \"the red car\""],
                        "image": input.merging(["description": "The image: a path inside the client's roots, a file:// URI, or MCP image content"]) {
                            _, new in new
                        },
                        "points": ["type": "boolean", "description": "One point per object instead of a box"],
                        "profile": ["type": "string", "description": "vq profile (see list_profiles); default: the config's"],
                        "model": ["type": "string", "description": "Model id; default: the profile's"],
                    ], required: ["target", "image"]),
                "outputSchema": object(
                    [
                        "image": ["type": "string"], "width": ["type": "integer"], "height": ["type": "integer"],
                        "coordinates": ["type": "string", "description": "The model family's convention the answer was read in"],
                        "objects": [
                            "type": "array",
                            "items": [
                                "type": "object",
                                "properties": [
                                    "label": ["type": "string"], "box": ["type": "array", "items": ["type": "integer"], "minItems": 4, "maxItems": 4],
                                    "point": ["type": "array", "items": ["type": "integer"], "minItems": 2, "maxItems": 2], "score": ["type": "number"],
                                ],
                                "required": ["label"],
                            ],
                        ],
                        "profile": ["type": "string"], "model": ["type": ["string", "null"]], "usage": ["type": ["object", "null"]],
                        "warnings": ["type": "array", "items": ["type": "string"]],
                    ], required: ["width", "height", "objects"]),
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

    /// One image or document: a path, file URI or URL, or inline image content.
    private static var input: [String: Any] { ["oneOf": [["type": "string"], inlineImage]] }

    /// The image maker's options both image tools take.
    private static var generationProperties: [String: Any] {
        [
            "prompt": ["type": "string", "description": "What to make (or how to change the images)"],
            "profile": ["type": "string", "description": "vq profile whose api makes images (see list_profiles); default: the config's"],
            "model": ["type": "string", "description": "Image model id; default: the profile's"],
            "n": ["type": "integer", "minimum": 1, "maximum": 10, "description": "How many images"],
            "size": ["type": "string", "description": "WIDTHxHEIGHT (the nearest size the model allows) or auto"],
            "aspect": ["type": "string", "description": "Aspect ratio W:H, e.g. 16:9"],
            "quality": ["enum": ImageGeneration.qualities],
            "background": ["enum": ImageGeneration.backgrounds],
            "format": ["enum": ImageGeneration.formats],
            "compression": ["type": "integer", "minimum": 0, "maximum": 100, "description": "For jpeg and webp"],
            "moderation": ["enum": ImageGeneration.moderations],
        ]
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
