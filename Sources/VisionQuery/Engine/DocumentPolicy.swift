import FoundationEssentials
import Imaging
import TextFormatting

/// How a run sends PDFs, decided once from the profile and `--pdf`/`--pages`: whole where the profile's service
/// reads PDFs (and the route may fall back to rendering), else each page rendered as an image.
public struct DocumentPolicy: Sendable, Equatable {
    public var route: DocumentRoute
    /// `--pdf auto`: a PDF over the service's page or size limit is rendered instead of refused.
    public var rendersOverLimits: Bool
    /// `--pdf auto` on a profile that does not say `pdf = …`: when the service refuses the file part, the pages are
    /// rendered and the request sent once more.
    public var rendersWhenRefused: Bool
    public var pages: PageSelection?
    /// The service's limits on a native PDF in one request.
    public var maxPages: Int?
    public var maxBytes: Int?
    public var profileName: String

    public init(profile: Profile, options: QueryOptions) throws(VQError) {
        let readsPDF = profile.api.readsNatively(.document)
        if profile.pdf == .native && !readsPDF {
            throw VQError(
                .config, "profile '\(profile.name)': pdf = \"native\", but api \(profile.api.rawValue) takes no PDF files; set pdf = \"render\"")
        }
        switch options.pdf {
        case .render: route = .render
        case .native:
            guard readsPDF else {
                throw VQError(
                    .usage, "'--pdf native': profile '\(profile.name)' (\(profile.api.rawValue)) cannot take a PDF whole; use --pdf render")
            }
            route = .native
        case .auto: route = readsPDF ? (profile.pdf ?? .native) : .render
        }
        rendersOverLimits = options.pdf == .auto
        rendersWhenRefused = options.pdf == .auto && route == .native && profile.pdf == nil
        pages = options.pages
        maxPages = profile.maxDocumentPages
        maxBytes = profile.maxDocumentBytes
        profileName = profile.name
    }

    /// This policy rendering every PDF (after the service refused the file part).
    public var rendering: DocumentPolicy {
        var policy = self
        policy.route = .render
        policy.rendersWhenRefused = false
        return policy
    }

    /// Whether `error` is the service refusing a PDF file part (a 400 naming the file or the PDF).
    public static func isFilePartRefusal(_ error: VQError) -> Bool {
        guard error.category == .badInput, error.message.hasPrefix("HTTP 400 ") || error.message.hasPrefix("HTTP 422 ") else { return false }
        let text = error.message.lowercased()
        return ["file", "pdf", "document"].contains { text.contains($0) }
    }

    /// Why `pages` pages of `bytes` bytes cannot go whole, or nil when they can.
    func overLimit(pages: Int, bytes: Int) -> String? {
        if let maxPages, pages > maxPages { return "\(pages) pages, over profile '\(profileName)''s limit of \(maxPages) pages per request" }
        let encoded = (bytes + 2) / 3 * 4
        if let maxBytes, encoded > maxBytes {
            return "\(ByteCountText.format(encoded)) as base64, over profile '\(profileName)''s limit of \(ByteCountText.format(maxBytes)) per request"
        }
        return nil
    }
}
