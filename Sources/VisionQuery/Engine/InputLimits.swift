import FoundationEssentials
import Imaging

/// The profile's limits on what one request carries, checked on parts in this one place: the count first from the
/// arguments alone (every argument is at least one part), before anything is read or downloaded; then the parts
/// themselves once loaded (a document's rendered pages count as images).
public struct InputLimits: Sendable {
    public let profile: Profile

    public init(profile: Profile) { self.profile = profile }

    /// Before loading: each argument yields at least one image part, except a local PDF sent whole (`documentsGoWhole`),
    /// which is known from its first bytes.
    public func check(arguments: [String], documentsGoWhole: Bool = false) throws(VQError) {
        guard let limit = profile.maxImages else { return }
        let images = arguments.filter { argument in
            !(documentsGoWhole && !InputLoader.isURL(argument) && InputLoader.sniffedKind(argument)?.documentFormat != nil)
        }
        if images.count > limit { throw tooMany(images.count, limit: limit) }
    }

    /// After loading: the image parts (pages rendered from documents among them) of one request.
    public func check(parts: [InputPart]) throws(VQError) {
        let images = parts.filter { $0.medium == .image }
        guard let limit = profile.maxImages, images.count > limit else { return }
        let pages = images.filter { $0.page != nil }.count
        throw tooMany(images.count, limit: limit, pages: pages)
    }

    private func tooMany(_ count: Int, limit: Int, pages: Int = 0) -> VQError {
        let rendered = pages > 0 ? " (\(pages) of them rendered PDF pages; --pages sends fewer)" : ""
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
