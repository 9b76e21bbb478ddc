import FoundationEssentials
import Imaging
import Platform

/// Input tokens a request will cost before it is sent: each image by its provider's published formula, a whole PDF
/// by the provider's per-page rule, the text at about four characters a token. Shown by `--dry-run`; summed over a
/// batch.
public struct TokenEstimate: Sendable {
    /// Per part, as named on the command line ("photo.jpg", "report.pdf#p2"); nil where no rule applies (URLs,
    /// unpublished formulas). `kind` is "image", "page" (a rendered PDF page), "frame" (a video's), "document" (a PDF
    /// sent whole) or "video" (sent whole, by the service's per-second rate for the seconds watched).
    public var parts: [(kind: String, name: String, tokens: Int?)]
    public var textTokens: Int

    public init(session: QuerySession, query: Query) {
        parts = zip(query.parts, session.partTokens(query)).map { part, tokens in
            if case .document(_, let info) = part.content { return ("document", "\(part.name) (\(info.pageCount) page(s))", tokens) }
            if case .video(let info, let clip) = part.content {
                let end = min(clip.end ?? info.duration, info.duration)
                return ("video", "\(part.name) (\(VideoTime.format(max(0, end - (clip.start ?? 0)))) of video)", tokens)
            }
            return (part.kind, part.name, tokens)
        }
        let text = query.prompt.utf8.count + (query.system?.utf8.count ?? 0)
        textTokens = (text + 3) / 4
    }

    /// Parts without an estimate.
    public var unknownImages: Int { parts.filter { $0.tokens == nil }.count }
    public var imageTokens: Int { parts.compactMap(\.tokens).reduce(0, +) }
    public var total: Int { imageTokens + textTokens }

    /// "image photo.jpg: ~765 input tokens", then the total.
    public var lines: [String] {
        var lines = parts.map { "\($0.kind) \($0.name): " + ($0.tokens.map { "~\($0) input tokens" } ?? "input tokens unknown") }
        lines.append(
            "estimated input tokens: ~\(total) (images and documents \(imageTokens), text ~\(textTokens))"
                + (unknownImages > 0 ? "; \(unknownImages) not counted" : ""))
        return lines
    }

    public var jsonObject: [String: Any] {
        [
            "total": total, "text": textTokens,
            "images": parts.map { ["image": $0.name, "kind": $0.kind, "tokens": $0.tokens.map { $0 as Any } ?? JSONNull()] as [String: Any] },
        ]
    }
}
