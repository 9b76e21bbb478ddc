import FoundationEssentials

/// What a probe learnt about a video file: where it is, its container and size, and its video stream as displayed.
/// The bytes stay in the file (a video may be gigabytes); whoever sends it whole reads it from `path`.
public struct VideoInfo: Sendable, Equatable {
    /// A readable file holding the video (a temporary copy for stdin or a downloaded URL).
    public var path: String
    /// `video/mp4`, `video/quicktime`, `video/webm`, `video/x-matroska` or `video/x-msvideo`, from the file's bytes.
    public var mimeType: String
    public var byteCount: Int
    /// Seconds from the first frame to the end of the stream.
    public var duration: Double
    /// The frame size as displayed, rotation applied (a portrait phone video is taller than wide).
    public var width: Int
    public var height: Int
    /// The video codec's short name as FFmpeg calls it (`h264`, `hevc`, `vp9`, `av1`).
    public var codec: String
    /// Degrees clockwise (0, 90, 180, 270) the stored frames are turned to be shown upright.
    public var rotation: Int
    /// Frames a second the stream declares; 0 when it declares none.
    public var frameRate: Double

    public init(
        path: String, mimeType: String, byteCount: Int, duration: Double, width: Int, height: Int, codec: String, rotation: Int = 0,
        frameRate: Double = 0
    ) {
        self.path = path
        self.mimeType = mimeType
        self.byteCount = byteCount
        self.duration = duration
        self.width = width
        self.height = height
        self.codec = codec
        self.rotation = rotation
        self.frameRate = frameRate
    }
}
