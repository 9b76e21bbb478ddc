import FoundationEssentials
import Imaging

/// The profile's limits on what one request carries, checked on parts in this one place: the count first from the
/// arguments alone (every argument is at least one part), before anything is read or downloaded; then the parts
/// themselves once loaded (a document's rendered pages count as images).
public struct InputLimits: Sendable {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// Before loading: each argument yields at least one image part, except a local PDF sent whole (`documentsGoWhole`)
    /// or a local video sent whole (`videosGoWhole`), which are known from their first bytes.
    public func check(arguments: [String], documentsGoWhole: Bool = false, videosGoWhole: Bool = false) throws(VQError) {
        guard let limit = profile.maxImages else { return }
        let images = arguments.filter { argument in
            guard !InputLoader.isURL(argument), documentsGoWhole || videosGoWhole, let kind = InputLoader.sniffedKind(argument) else { return true }
            return !(documentsGoWhole && kind.documentFormat != nil) && !(videosGoWhole && kind.videoFormat != nil)
        }
        if images.count > limit { throw tooMany(images.count, limit: limit) }
    }

    /// How many frames each local video among `arguments` may be sampled into: what `max_images` leaves after the other
    /// arguments (one image each), shared evenly; nil when the profile sets no limit.
    public func frameBudget(arguments: [String]) -> Int? {
        guard let limit = profile.maxImages else { return nil }
        let videos = arguments.filter { !InputLoader.isURL($0) && InputLoader.sniffedKind($0)?.videoFormat != nil }.count
        return max(1, (limit - (arguments.count - videos)) / max(1, videos))
    }

    /// After loading: the image parts (pages rendered from documents among them) of one request.
    public func check(parts: [InputPart]) throws(VQError) {
        let images = parts.filter { $0.medium == .image }
        guard let limit = profile.maxImages, images.count > limit else { return }
        let pages = images.filter { $0.page != nil }.count
        let frames = images.filter { $0.frameTime != nil }.count
        throw tooMany(images.count, limit: limit, pages: pages, frames: frames)
    }

    private func tooMany(_ count: Int, limit: Int, pages: Int = 0, frames: Int = 0) -> VQError {
        var rendered = pages > 0 ? " (\(pages) of them rendered PDF pages; --pages sends fewer)" : ""
        if frames > 0 { rendered += " (\(frames) of them video frames; --frames sends fewer)" }
        return VQError(.badInput, "too many images: \(count) given\(rendered), profile '\(profile.name)' accepts at most \(limit) per request")
    }
}

extension InputLimits {
    /// `vq batch --per-request N`: every request carries N inputs, so N may not be over `max_images`.
    public func check(perRequest: Int) throws(VQError) {
        if let limit = profile.maxImages, perRequest > limit {
            throw VQError(.usage, "'--per-request \(perRequest)' is over profile '\(profile.name)''s max_images of \(limit)")
        }
    }
}
