import FoundationEssentials
import Platform

/// What happened to one image of a batch: the answer or the error, as one JSON Lines record.
public struct BatchResult: Sendable {
    public var image: String
    /// The canonical key `--shard` and `--resume` use (see `BatchItem`).
    public var key: String?
    public var output: String?
    /// With `--schema`: the checked object, written as `output` instead of the text.
    public var structuredOutput: OrderedJSON?
    public var model: String?
    public var usage: Usage?
    /// The request's cost (its share, when several images went in one request); nil when nothing was sent.
    public var cost: Cost?
    /// Not sent because `--max-cost` was reached: no line is written, so `--resume` sends it.
    public var heldBack = false
    public var error: VQError?
    /// HTTP attempts made for the image's request (0 when it failed before sending).
    public var attempts = 0
    public var savedImages: [String] = []
    /// Bytes of the image before and after preparation (nil for URLs passed through).
    public var originalBytes: Int?
    public var preparedBytes: Int?

    public init(image: String) { self.image = image }

    public var succeeded: Bool { error == nil }

    /// With `--schema`: checks a successful answer, keeping the object (and its compact text as `output`, for
    /// sidecars); an answer that breaks the schema becomes this image's error, its raw text kept in `output`.
    public mutating func check(against schema: AnswerSchema) {
        guard error == nil, let text = output else { return }
        do throws(VQError) {
            let value = try StructuredAnswer.check(text, against: schema)
            structuredOutput = value
            output = value.text
        } catch {
            self.error = error
        }
    }

    /// The service's finish reason ("stop", "length").
    public var finishReason: String?
    /// The profile the request went to.
    public var profile: String?
    /// A prompt-list item's own prompt and sources (its line then says `id`, `prompt` and `images`).
    public var prompt: String?
    public var sources: [String] = []
    /// `vq gen`: how the images were made, and the prompts the service used.
    public var provenance: ImageProvenance?
    public var revisedPrompts: [String] = []

    /// `{"image":…,"key":…,"output":…,"profile":…,"model":…,"finish_reason":…,"usage":…,"error":…,"saved_images":[…],
    /// "attempts":N}` and a newline, built by `ResultObject`.
    /// A prompt-list item's line starts `{"id":…,"key":…,"prompt":…,"images":[…],"output":…` and ends with its
    /// `provenance` and `revised_prompts` before `attempts`.
    public func jsonLine() -> Data {
        var object = ResultObject(
            profile: profile, model: model, finishReason: finishReason, usage: usage, cost: cost, savedImages: savedImages,
            error: error?.message)
        object.provenance = provenance
        object.revisedPrompts = revisedPrompts
        let output: Any? = structuredOutput.map { $0 as Any } ?? output
        if let prompt { return object.promptLine(id: image, key: key, prompt: prompt, sources: sources, output: output, attempts: attempts) }
        return object.batchLine(image: image, key: key, output: output, attempts: attempts)
    }
}
