import FoundationEssentials

/// The prompt and schema vq sends for a detection: the user's target, what to return per object, and the coordinate
/// convention of the model family stated in words (the schema alone cannot say what the numbers mean).
public struct DetectionPrompt: Sendable {
    public let target: String
    public let kind: DetectionKind
    public let convention: CoordinateConvention
    /// `--masks`: each box comes with its segmentation mask in `mask` (Gemini's form: a base64 PNG data URL of a
    /// probability map 0-255 covering the box).
    public let masks: Bool

    public init(target: String, kind: DetectionKind, convention: CoordinateConvention, masks: Bool = false) {
        precondition(!masks || kind == .boxes, "masks come with boxes")
        self.target = target
        self.kind = kind
        self.convention = convention
        self.masks = masks
    }

    /// The key holding each object's coordinates.
    public var coordinateKey: String { kind == .boxes ? convention.boxKey : convention.pointKey }
    /// How many numbers the coordinates have.
    public var coordinateCount: Int { kind == .boxes ? 4 : 2 }

    /// The prompt text sent with the image.
    public var text: String {
        var what =
            kind == .boxes
            ? "its 2D bounding box in \"\(coordinateKey)\" as \(convention.boxOrder)"
            : "one point at its centre in \"\(coordinateKey)\" as \(convention.pointOrder)"
        if masks {
            what +=
                ", its segmentation mask in \"mask\" as a base64-encoded PNG (data:image/png;base64,...): a probability map, 0-255, of the area inside the box"
        }
        return """
            Detect: \(target)
            Return a JSON object {"objects": [...]} with one entry per object found: a short text label in "label", \
            \(what), and your confidence from 0 to 1 in "score". Coordinates are \(convention.unitStatement). \
            Use an empty list when there is no such object.
            """
    }

    /// The schema the answer must follow (sent as structured output where the service takes one, else in the prompt).
    public var schema: AnswerSchema {
        let json = """
            {"type": "object", "properties": {"objects": {"type": "array", "items": {"type": "object", "properties": {\
            "label": {"type": "string"}, \
            "\(coordinateKey)": {"type": "array", "items": {"type": "number"}, "minItems": \(coordinateCount), "maxItems": \(coordinateCount)}, \
            "score": {"type": "number"}\(masks ? #", "mask": {"type": "string"}"# : "")}, \
            "required": ["label", "\(coordinateKey)"\(masks ? #", "mask""# : "")]}}}, "required": ["objects"]}
            """
        do {
            return try AnswerSchema.load(json, origin: "vq detect")
        } catch {
            preconditionFailure("vq's detection schema does not load: \(error.message)")
        }
    }
}
