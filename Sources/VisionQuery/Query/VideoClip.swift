import FoundationEssentials

/// The part of a video to send and how densely: `--start`, `--end` (seconds into the video), `--fps` and
/// `--frames`. A service reading video natively gets start, end and fps (Gemini's `videoMetadata`); sampled frames
/// use all four. Nil means the whole video, or the default density.
public struct VideoClip: Sendable, Equatable {
    public var start: Double?
    public var end: Double?
    /// Frames per second to sample (or to ask the service to sample).
    public var fps: Double?
    /// How many frames to sample, evenly between start and end (frames route only).
    public var frames: Int?

    /// Most frames one video may be sampled into (`--frames`), and the densest sampling (`--fps`).
    public static let maxFrames = 1000
    public static let maxFPS = 60.0

    public init(start: Double? = nil, end: Double? = nil, fps: Double? = nil, frames: Int? = nil) {
        self.start = start
        self.end = end
        self.fps = fps
        self.frames = frames
    }

    /// Whether no option was given.
    public var isWholeVideo: Bool { self == VideoClip() }
}
