internal import CShims
import FoundationEssentials
import Glibc

/// An open video (FFmpeg, loaded on first use): what it holds (`info`) and the frame shown at any time, decoded by
/// seeking to the keyframe before it and scaled straight to the size the preparation wants, so memory stays flat in
/// the video's length. Owns FFmpeg's demuxer and decoder and frees them in `deinit`; use it from one thread at a time.
public final class VideoFile {
    private let handle: OpaquePointer
    public let info: VideoInfo
    /// The frames as stored: the displayed size turned back by `info.rotation`.
    private let stored: PixelSize
    private let orientation: ExifOrientation

    /// Opens the video at `path` (its container already sniffed as `format`) and checks what it declares: a file
    /// FFmpeg cannot read (truncated, damaged, not a video), one without a video stream, one in a codec it cannot
    /// decode, or a frame size over `limits` is refused before any frame is decoded.
    public init(path: String, format: VideoFormat, limits: ImageLimits = .default) throws(ImageError) {
        var fileStatus = stat()
        let byteCount = stat(path, &fileStatus) == 0 ? Int(fileStatus.st_size) : 0
        guard byteCount > 0 else { throw ImageError(.empty, "empty file") }
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        var facts = vq_video_facts()
        var opened: OpaquePointer? = nil
        let status = vq_video_open(path, &opened, &facts, &message)
        guard status == VQ_VIDEO_OK, let opened else { throw Self.error(status, message, format: format) }
        let codec = Self.string(&facts.codec)
        stored = PixelSize(width: Int(facts.width), height: Int(facts.height))
        orientation = Self.orientation(rotation: Int(facts.rotation))
        let displayed = orientation.swapsDimensions ? stored.swapped : stored
        info = VideoInfo(
            path: path, mimeType: format.mimeType, byteCount: byteCount, duration: facts.duration, width: displayed.width,
            height: displayed.height, codec: codec, rotation: Int(facts.rotation), frameRate: facts.frame_rate)
        handle = opened
        do {
            try limits.check("the \(format.displayName) video", width: stored.width, height: stored.height)
        } catch {
            vq_video_close(opened)
            throw error
        }
    }

    deinit { vq_video_close(handle) }

    /// How long past its time the last frame may still be taken as the one shown (timestamps and durations disagree
    /// by a frame or so; more than this, and the file lost its end).
    static let lastFrameReach = 1.0

    /// The frame shown `seconds` into the video, upright, prepared for sending (JPEG, at the size `options` allow;
    /// `--no-resize` keeps the video's own size), with the time of the frame actually decoded.
    public func frame(at seconds: Double, options: PreparationOptions) throws(ImageError) -> (image: PreparedImage, time: Double) {
        let displayed = orientation.swapsDimensions ? stored.swapped : stored
        let sides = [options.resize ? options.maxSide : nil, options.limits.maxSide].compactMap { $0 }
        let pixelLimits = [options.resize ? options.maxPixels : nil, options.limits.maxPixels].compactMap { $0 }
        let target = displayed.fitted(maxSide: sides.min(), maxPixels: pixelLimits.min())
        let scaled = orientation.swapsDimensions ? target.swapped : target
        let pixels = PixelBuffer()
        var time = 0.0
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = vq_video_frame(handle, seconds, UInt32(scaled.width), UInt32(scaled.height), &pixels.raw, &time, &message)
        // The last frame stays on screen to the end; a video whose frames stop well before it was cut off.
        let nearTheEnd = status == VQ_VIDEO_ENDED && seconds - time <= Self.lastFrameReach
        guard status == VQ_VIDEO_OK || nearTheEnd else {
            if status == VQ_VIDEO_ENDED {
                throw ImageError(
                    .corrupt,
                    "damaged or truncated video: its frames end at \(VideoTime.format(time)), though it says it lasts \(VideoTime.format(info.duration))")
            }
            throw Self.error(status, message, format: nil)
        }
        var note = "frame at \(VideoTime.format(time)) of \(info.codec) \(stored)"
        if info.rotation != 0 { note += " turned \(info.rotation)°" }
        var job = PreparationJob(videoFrame: try pixels.oriented(orientation), videoByteCount: info.byteCount, options: options, notes: [note])
        return (try job.run(), time)
    }

    /// `count` times evenly between `start` and `end`, each in the middle of its equal share.
    public static func evenTimes(from start: Double, to end: Double, count: Int) -> [Double] {
        let step = max(0, end - start) / Double(max(1, count))
        return (0..<max(1, count)).map { start + (Double($0) + 0.5) * step }
    }

    /// The EXIF orientation that turns stored frames upright for a clockwise display rotation.
    static func orientation(rotation: Int) -> ExifOrientation {
        switch rotation {
        case 90: .rotatedRight
        case 180: .upsideDown
        case 270: .rotatedLeft
        default: .up
        }
    }

    private static func string<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private static func error(_ status: vq_video_status, _ message: [CChar], format: VideoFormat?) -> ImageError {
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let what = format.map { "\($0.displayName) video" } ?? "video"
        switch status {
        case VQ_VIDEO_NO_STREAM: return ImageError(.notAnImage, "not a video: \(reason)")
        case VQ_VIDEO_NO_DECODER: return ImageError(.unsupported, "\(what) vq cannot decode: \(reason)")
        case VQ_VIDEO_UNAVAILABLE: return ImageError(.unsupported, "cannot read videos: \(reason)")
        case VQ_VIDEO_FAILED: return ImageError(.tooLarge, reason)
        default: return ImageError(.corrupt, "damaged or truncated \(what): \(reason)")
        }
    }
}
