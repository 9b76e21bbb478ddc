import Foundation

/// Input tokens a request will cost before it is sent: each image by its provider's published formula, the text
/// at about four characters a token. Shown by `--dry-run`; summed over a batch.
public struct TokenEstimate: Sendable {
    /// Per image, as given on the command line; nil where no formula applies (URLs, unpublished formulas).
    public var images: [(source: String, tokens: Int?)]
    public var textTokens: Int

    public init(session: QuerySession, query: Query) {
        let tokens = session.imageTokens(query)
        images = zip(query.parts, tokens).map { (source: $0.source == "-" ? "stdin" : $0.source, tokens: $1) }
        let text = query.prompt.utf8.count + (query.system?.utf8.count ?? 0)
        textTokens = (text + 3) / 4
    }

    /// Images without an estimate.
    public var unknownImages: Int { images.filter { $0.tokens == nil }.count }
    public var imageTokens: Int { images.compactMap(\.tokens).reduce(0, +) }
    public var total: Int { imageTokens + textTokens }

    /// "image photo.jpg: ~765 input tokens", then the total.
    public var lines: [String] {
        var lines = images.map { "image \($0.source): " + ($0.tokens.map { "~\($0) input tokens" } ?? "input tokens unknown") }
        lines.append(
            "estimated input tokens: ~\(total) (images \(imageTokens), text ~\(textTokens))"
                + (unknownImages > 0 ? "; \(unknownImages) image(s) not counted" : ""))
        return lines
    }

    public var jsonObject: [String: Any] {
        [
            "total": total, "text": textTokens,
            "images": images.map { ["image": $0.source, "tokens": $0.tokens.map { $0 as Any } ?? NSNull()] as [String: Any] },
        ]
    }
}
