import FoundationEssentials

/// One logged exchange: what was asked (prompt, images, options) and what came back (answer, saved images,
/// usage, error). Written by `HistoryStore.record` and read back by the log queries.
public struct HistoryExchange: Sendable, Equatable {
    /// Assigned by the store; 0 before the exchange is recorded.
    public var id: Int = 0
    /// The conversation it belongs to; nil when recording starts a new one.
    public var conversationID: Int?
    public var time: Date
    public var profile: String
    public var api: String
    public var model: String?
    public var system: String?
    public var prompt: String
    /// The sampling options sent, as a JSON object (`{"temperature":0.2}`).
    public var options: String
    public var images: [HistoryImage]
    public var answer: String
    public var savedImages: [String]
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?
    /// The part of `promptTokens` the service read from its prompt cache.
    public var cachedTokens: Int?
    /// What the exchange cost in US dollars; nil when unknown (no price for the model, or no token counts).
    public var costUSD: Double?
    /// The prices the cost was counted with ("bundled 2026-12-06", "config /path/config.toml").
    public var costPrices: String?
    public var finishReason: String?
    public var duration: Double
    /// The one-line error when the exchange failed.
    public var error: String?

    public init(
        conversationID: Int?, time: Date, profile: String, api: String, model: String?, system: String?, prompt: String,
        options: String = "{}", images: [HistoryImage] = [], answer: String = "", savedImages: [String] = [],
        promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil, cachedTokens: Int? = nil,
        costUSD: Double? = nil, costPrices: String? = nil, finishReason: String? = nil, duration: Double = 0, error: String? = nil
    ) {
        self.conversationID = conversationID
        self.time = time
        self.profile = profile
        self.api = api
        self.model = model
        self.system = system
        self.prompt = prompt
        self.options = options
        self.images = images
        self.answer = answer
        self.savedImages = savedImages
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.cachedTokens = cachedTokens
        self.costUSD = costUSD
        self.costPrices = costPrices
        self.finishReason = finishReason
        self.duration = duration
        self.error = error
    }
}

/// One image of an exchange: the prepared bytes that were sent (stored once per SHA-256), or a URL the service fetched.
public struct HistoryImage: Sendable, Equatable {
    /// Where it came from, as the user wrote it ("photo.jpg", "-", a URL with credentials removed).
    public var source: String
    public var content: Content

    /// What was sent.
    public enum Content: Sendable, Equatable {
        /// Inline bytes. `bytes` is empty when read by a query that does not load them (listings); `sha256` is empty
        /// until the store writes them (it hashes them then).
        case inline(sha256: String, mimeType: String, width: Int, height: Int, byteCount: Int, bytes: Data)
        case url(String)
    }

    public init(source: String, content: Content) {
        self.source = source
        self.content = content
    }

    /// An inline image from its bytes; the hash is computed here.
    public static func inline(source: String, mimeType: String, width: Int, height: Int, bytes: Data) -> HistoryImage {
        HistoryImage(
            source: source,
            content: .inline(
                sha256: SHA256.hex(bytes), mimeType: mimeType, width: width, height: height,
                byteCount: bytes.count, bytes: bytes))
    }
}

/// Which exchanges a listing shows.
public struct HistoryFilter: Sendable, Equatable {
    /// The newest `limit` matches (shown oldest first).
    public var limit: Int
    /// Words that must all appear in the prompt or answer (FTS5).
    public var search: String?
    public var conversationID: Int?
    public var model: String?

    public init(limit: Int, search: String? = nil, conversationID: Int? = nil, model: String? = nil) {
        self.limit = limit
        self.search = search
        self.conversationID = conversationID
        self.model = model
    }
}
