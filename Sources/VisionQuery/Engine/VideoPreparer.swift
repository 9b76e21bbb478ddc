import FoundationEssentials
import Imaging
import TextFormatting

/// Turns a video file into an input's parts by the policy: the whole video (a reference to its file, with the clip)
/// for a service that reads video or a `video_url` profile, else frames sampled evenly between `--start` and
/// `--end` (`--frames N`, `--fps R`, or as many as the profile's image limit leaves, at most one a second), each
/// decoded at the size the image preparation wants and sent as a JPEG image part with its time. A file FFmpeg cannot
/// decode, a truncated one, or one without a video stream is refused (65) before anything is sent. FFmpeg is loaded
/// only here, so a query without a video never loads it.
struct VideoPreparer: Sendable {
    var policy: VideoPolicy
    /// The preparation of one inline image; frames share the request's byte budget among themselves.
    let preparation: PreparationOptions
    /// Whether `preparation.maxEncodedBytes` is a share of the request's byte limit (then split among the frames).
    let sharesRequestBudget: Bool
    /// Most frames this video may become: what the profile's image limit leaves (`InputLimits.frameBudget`); nil when
    /// the profile sets no limit.
    var frameBudget: Int? = nil
    var profileName: String

    /// Frames sampled when the profile sets no image limit and neither `--frames` nor `--fps` is given.
    static let defaultFrames = 20

    func prepare(path: String, format: VideoFormat, source: String, label: String) throws(VQError) -> Input {
        let video: VideoFile
        do { video = try VideoFile(path: path, format: format) } catch { throw VQError(.badInput, "\(label): \(error.message)") }
        let info = video.info
        let (start, end) = try span(of: info, label: label)
        if policy.sendsWhole {
            // The first frame is decoded so a video no service could play is refused here, not by the service.
            do { _ = try video.frame(at: start, options: PreparationOptions(maxSide: 16)) } catch {
                throw VQError(.badInput, "\(label): \(error.message)")
            }
            var input = Input(source: source, medium: .video, parts: [InputPart(source: source, content: .video(info, clip: policy.clip))])
            input.route = "\(Self.describe(info)), sent whole (\(ByteCountText.format(info.byteCount)))"
            return input
        }
        let times = try frameTimes(start: start, end: end, frameRate: info.frameRate, label: label)
        var options = preparation
        if sharesRequestBudget, let cap = options.maxEncodedBytes { options.maxEncodedBytes = max(1, cap / times.count) }
        var parts: [InputPart] = []
        for time in times {
            do {
                let (image, shown) = try video.frame(at: time, options: options)
                let imageInfo = ImageInfo(format: image.format, width: image.width, height: image.height)
                parts.append(InputPart(source: source, content: .image(data: image.data, info: imageInfo), frameTime: shown, preparation: image))
            } catch {
                throw VQError(.badInput, "\(label): \(error.message)")
            }
        }
        var input = Input(source: source, medium: .video, parts: parts)
        let bytes = parts.compactMap(\.inlineByteCount).reduce(0, +)
        var labels = parts.compactMap(\.frameTime).map(VideoTime.format)
        if labels.count > 8 { labels = Array(labels.prefix(3)) + ["…"] + Array(labels.suffix(2)) }
        let shown = labels.joined(separator: ", ")
        var route = "\(Self.describe(info)), \(parts.count) frame(s) sent as images at \(shown) (\(ByteCountText.format(bytes)))"
        if let asked = policy.clip.fps, info.frameRate > 0, asked > info.frameRate {
            route += "; --fps \(Self.number(asked)) is above the video's \(Self.number(info.frameRate)) fps, so every frame is sent once"
        }
        input.route = route
        return input
    }

    /// "10:00.0 1920x1080 h264 (video/mp4)".
    static func describe(_ info: VideoInfo) -> String {
        let turned = info.rotation == 0 ? "" : ", turned \(info.rotation)°"
        return "\(VideoTime.format(info.duration)) \(info.width)x\(info.height) \(info.codec) (\(info.mimeType)\(turned))"
    }

    /// The part of the video `--start` and `--end` select; an end past the video's is its end.
    private func span(of info: VideoInfo, label: String) throws(VQError) -> (start: Double, end: Double) {
        let start = policy.clip.start ?? 0
        let duration = info.duration
        if duration > 0 && start >= duration {
            throw VQError(.usage, "\(label): --start \(VideoTime.format(start)) is past the end of the video (\(VideoTime.format(duration)))")
        }
        let end = min(policy.clip.end ?? duration, duration > 0 ? duration : .infinity)
        return (start, end.isFinite ? end : start)
    }

    /// The times to sample: `--fps R` from the start every 1/R seconds (at most the video's own rate: a faster one
    /// would send the same frame twice); else N frames (`--frames N`, or what the budget allows at most one a second),
    /// each in the middle of its equal share of the span.
    func frameTimes(start: Double, end: Double, frameRate: Double, label: String) throws(VQError) -> [Double] {
        let length = max(0, end - start)
        if let asked = policy.clip.fps {
            let fps = frameRate > 0 ? min(asked, frameRate) : asked
            let count = max(1, Int((length * fps).rounded(.up)))
            let limit = frameBudget ?? VideoClip.maxFrames
            guard count <= limit else {
                throw VQError(
                    .badInput,
                    "\(label): --fps \(Self.number(asked))\(fps < asked ? " (the video's own \(Self.number(fps)))" : "") over \(VideoTime.format(length)) is \(count) frames, over the \(limit) image(s) \(frameBudget == nil ? "vq samples" : "profile '\(profileName)' takes in one request"); lower --fps or choose a part with --start/--end"
                )
            }
            return (0..<count).map { start + Double($0) / fps }
        }
        let count: Int
        if let frames = policy.clip.frames {
            if let frameBudget, frames > frameBudget {
                throw VQError(
                    .badInput, "\(label): --frames \(frames) is over the \(frameBudget) image(s) profile '\(profileName)' takes in one request")
            }
            count = frames
        } else {
            count = max(1, min(frameBudget ?? Self.defaultFrames, Int(length.rounded(.down))))
        }
        return VideoFile.evenTimes(from: start, to: start + length, count: count)
    }

    /// A rate or count as people write it: "25", "29.97".
    private static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
