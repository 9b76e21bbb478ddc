/// What to do to an image before sending.
public struct PreparationOptions: Sendable, Equatable {
    /// Longest side allowed; nil = no side limit.
    public var maxSide: Int?
    /// Most pixels allowed; nil = no pixel limit.
    public var maxPixels: Int?
    /// false (`--no-resize`): send the original bytes untouched (still validated).
    public var resize: Bool
    /// Re-encode to drop metadata even when nothing else needs it.
    public var strip: Bool
    /// Quality for JPEG output, 1...100.
    public var jpegQuality: Int
    /// Per image, counted as base64 length (4*ceil(n/3)); images over it are shrunk further, else rejected.
    public var maxEncodedBytes: Int?
    /// Decompression-bomb limits applied before decoding.
    public var limits: ImageLimits

    public init(
        maxSide: Int? = nil, maxPixels: Int? = nil, resize: Bool = true, strip: Bool = false,
        jpegQuality: Int = 85, maxEncodedBytes: Int? = nil, limits: ImageLimits = .default
    ) {
        precondition(maxSide.map { $0 > 0 } ?? true, "maxSide must be positive")
        precondition(maxPixels.map { $0 > 0 } ?? true, "maxPixels must be positive")
        precondition((1...100).contains(jpegQuality), "jpegQuality must be 1...100")
        precondition(maxEncodedBytes.map { $0 > 0 } ?? true, "maxEncodedBytes must be positive")
        self.maxSide = maxSide
        self.maxPixels = maxPixels
        self.resize = resize
        self.strip = strip
        self.jpegQuality = jpegQuality
        self.maxEncodedBytes = maxEncodedBytes
        self.limits = limits
    }
}
