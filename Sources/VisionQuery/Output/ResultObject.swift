import FoundationEssentials
import History
import Platform

/// The result object of one exchange, built in this one place for `vq --json`, each `vq batch` line and each
/// `vq logs --json` entry: the fields they share (`profile`, `model`, `finish_reason`, `usage`, `cost`, `error`,
/// `saved_images`) are written by `sharedFields`, so the three cannot drift apart.
public struct ResultObject: Sendable {
    public var profile: String?
    public var model: String?
    public var finishReason: String?
    public var usage: Usage?
    /// In US dollars with the prices' origin and date, or "unknown" with the reason (never 0 for unknown).
    public var cost: Cost?
    public var savedImages: [String] = []
    public var error: String?
    /// `vq gen`: how the images were made (with the revised prompts); issue 24's per-image prices read the
    /// saved images' count and `usage` beside it.
    public var provenance: ImageProvenance?
    public var revisedPrompts: [String] = []

    public init(
        profile: String?, model: String?, finishReason: String?, usage: Usage?, cost: Cost?, savedImages: [String], error: String?
    ) {
        self.profile = profile
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
        self.cost = cost
        self.savedImages = savedImages
        self.error = error
    }

    /// The fields every result object carries, in their order.
    var sharedFields: [(String, Any)] {
        [
            ("profile", profile ?? JSONNull()),
            ("model", model ?? JSONNull()),
            ("finish_reason", finishReason ?? JSONNull()),
            ("usage", usage?.jsonObject ?? JSONNull()),
            ("cost", cost?.jsonObject ?? JSONNull()),
            ("error", error ?? JSONNull()),
            ("saved_images", savedImages),
        ]
    }

    /// `vq --json` (and a chat turn's): the printed `text`, the shared fields, what the service added, whether the
    /// answer is incomplete and the exit code, and where the log keeps it.
    public func query(text: String, outcome: QueryOutcome, incomplete: Bool, exitCode: Int, logged: LoggedExchange?) -> [String: Any] {
        var object = Dictionary(sharedFields, uniquingKeysWith: { _, last in last })
        object["text"] = text
        object["incomplete"] = incomplete
        object["exit_code"] = exitCode
        if let provenance {
            object["provenance"] = provenance.jsonObject
            object["revised_prompts"] = revisedPrompts
        }
        if let balance = outcome.balance { object["balance"] = Self.number(balance) }
        if let seconds = outcome.processingSeconds { object["processing_time_s"] = seconds }
        if let credits = outcome.responseHeaders["x-remaining-credits"] { object["credits"] = Double(credits).map(Self.number) ?? credits }
        object["id"] = logged.map { $0.id as Any } ?? JSONNull()
        object["conversation_id"] = logged.map { $0.conversationID as Any } ?? JSONNull()
        return object
    }

    /// One batch line: `image`, `key`, `output` (the text, or the checked object with `--schema`), the shared
    /// fields, `attempts`; then a newline.
    public func batchLine(image: String, key: String?, output: Any?, attempts: Int) -> Data {
        var line = JSONWriter.orderedObject(
            [("image", image), ("key", key ?? JSONNull()), ("output", output ?? JSONNull())] + sharedFields + [("attempts", attempts)])
        line.append(0x0A)
        return line
    }

    /// One line of a prompt list (`vq gen --prompts`): `id`, `key`, `prompt`, `images` (its sources), `output`, the
    /// shared fields, then `provenance` and `revised_prompts` when images were made, and `attempts`; then a newline.
    public func promptLine(id: String, key: String?, prompt: String, sources: [String], output: Any?, attempts: Int) -> Data {
        var fields: [(String, Any)] = [("id", id), ("key", key ?? JSONNull()), ("prompt", prompt), ("images", sources), ("output", output ?? JSONNull())]
        fields += sharedFields
        if let provenance {
            fields.append(("provenance", provenance.jsonObject))
            fields.append(("revised_prompts", revisedPrompts))
        }
        var line = JSONWriter.orderedObject(fields + [("attempts", attempts)])
        line.append(0x0A)
        return line
    }

    /// `vq logs --json`: one logged exchange with what was asked and the shared fields.
    public static func logEntry(_ exchange: HistoryExchange, images: [[String: Any]], time: String) -> [String: Any] {
        var usage: Usage?
        if exchange.promptTokens != nil || exchange.completionTokens != nil || exchange.totalTokens != nil {
            usage = Usage(
                promptTokens: exchange.promptTokens, completionTokens: exchange.completionTokens, totalTokens: exchange.totalTokens,
                cachedPromptTokens: exchange.cachedTokens)
        }
        let cost =
            exchange.costUSD.map { Cost(usd: $0, prices: exchange.costPrices ?? "") }
            ?? Cost(unknown: exchange.costPrices == nil ? "not known when it was logged" : "no price or no token counts")
        let shared = ResultObject(
            profile: exchange.profile, model: exchange.model, finishReason: exchange.finishReason, usage: usage, cost: cost,
            savedImages: exchange.savedImages, error: exchange.error)
        var object = Dictionary(shared.sharedFields, uniquingKeysWith: { _, last in last })
        let options = (try? JSONReader.value(Data(exchange.options.utf8))) ?? [String: Any]()
        object["id"] = exchange.id
        object["conversation_id"] = exchange.conversationID.map { $0 as Any } ?? JSONNull()
        object["time"] = time
        object["api"] = exchange.api
        object["system"] = exchange.system ?? JSONNull()
        object["prompt"] = exchange.prompt
        object["options"] = options
        object["images"] = images
        object["answer"] = exchange.answer
        object["duration_s"] = exchange.duration
        return object
    }

    /// 42.0 as 42, 4.5 as 4.5.
    static func number(_ value: Double) -> Any { value == value.rounded() && abs(value) < 1e15 ? Int(value) as Any : value }
}
