import VisionQuery

/// The images that go with the next chat turn, each validated when it is added: a missing file, a directory, a PDF or
/// a broken JPEG is refused then (with the reason) and nothing already attached is lost.
final class ChatAttachments {
    /// Checks one image argument and describes it (`photo.jpg 640x480 JPEG 52 KB`), or throws why it cannot be sent.
    typealias Validator = (String) throws(VQError) -> String

    private let validate: Validator
    /// At most this many images per request (the profile's `max_images`), or nil.
    private let limit: Int?
    /// The profile's name, for the message when the limit is reached.
    private let profile: String
    private(set) var paths: [String] = []
    private(set) var descriptions: [String] = []

    init(limit: Int?, profile: String, validate: @escaping Validator) {
        self.limit = limit
        self.profile = profile
        self.validate = validate
    }

    /// Validates and adds an image; throws (adding nothing) when it is not one vq can send.
    @discardableResult
    func add(_ path: String) throws(VQError) -> String {
        if let limit, paths.count >= limit {
            throw VQError(.badInput, "too many images: \(paths.count + 1) given, profile '\(profile)' accepts at most \(limit) per request")
        }
        let description = try validate(path)
        paths.append(path)
        descriptions.append(description)
        return description
    }

    /// Validates and adds each image, stopping at the first that fails.
    func add(all arguments: [String]) throws(VQError) {
        for argument in arguments { try add(argument) }
    }

    /// Forgets every image (once a turn took them).
    func clear() {
        paths = []
        descriptions = []
    }

    /// "2 images" for the prompt, or nil when none.
    var countLabel: String? { paths.isEmpty ? nil : "\(paths.count) image\(paths.count == 1 ? "" : "s")" }
}
