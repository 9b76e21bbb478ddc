import Foundation

/// What happened to one image of a batch: the answer or the error, as one JSON Lines record.
public struct BatchResult: Sendable {
    public var image: String
    /// The canonical key `--shard` and `--resume` use (see `BatchItem`).
    public var key: String?
    public var output: String?
    public var model: String?
    public var usage: Usage?
    public var error: VQError?
    /// HTTP attempts made for the image's request (0 when it failed before sending).
    public var attempts = 0
    public var savedImages: [String] = []
    /// Bytes of the image before and after preparation (nil for URLs passed through).
    public var originalBytes: Int?
    public var preparedBytes: Int?

    public init(image: String) { self.image = image }

    public var succeeded: Bool { error == nil }

    /// `{"image":…,"key":…,"output":…,"model":…,"usage":…,"error":…,"attempts":N,"saved_images":[…]}` and a newline.
    public func jsonLine() -> Data {
        var line = JSONWriter.orderedObject([
            ("image", image),
            ("key", key ?? NSNull()),
            ("output", output ?? NSNull()),
            ("model", model ?? NSNull()),
            ("usage", usage?.jsonObject ?? NSNull()),
            ("error", error?.message ?? NSNull()),
            ("attempts", attempts),
            ("saved_images", savedImages),
        ])
        line.append(0x0A)
        return line
    }
}
