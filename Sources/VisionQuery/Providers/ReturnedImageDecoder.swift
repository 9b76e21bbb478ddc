import FoundationEssentials
import TextFormatting

/// Finds images in a chat-completion message or delta, in every shape services use: AiHubMix's
/// `multi_mod_content[].inlineData|inline_data`, OpenRouter's `images[].image_url|imageUrl` data URLs.
/// Pure: decodes base64, does no I/O.
public enum ReturnedImageDecoder {
    /// Image events for one `message` (whole answer) or `delta` (stream chunk) object.
    public static func events(in message: [String: Any]) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for item in message["multi_mod_content"] as? [[String: Any]] ?? [] {
            guard let inline = (item["inlineData"] ?? item["inline_data"]) as? [String: Any],
                let base64 = inline["data"] as? String, !base64.isEmpty
            else { continue }  // `inlineData: {}` carries no image
            let mime = (inline["mimeType"] ?? inline["mime_type"]) as? String
            events.append(event(base64: base64, mimeHint: mime.map(normalisedMIME), sourceURL: nil))
        }
        for item in message["images"] as? [Any] ?? [] {
            let url: String?
            if let text = item as? String {
                url = text
            } else if let object = item as? [String: Any] {
                let holder = object["image_url"] ?? object["imageUrl"]
                url = (holder as? [String: Any])?["url"] as? String ?? holder as? String ?? object["url"] as? String
            } else {
                url = nil
            }
            guard let url else { continue }
            guard let (mime, base64) = splitDataURL(url) else {
                events.append(.image(.undecodable("an image was returned as a link, not data: \(url.prefix(200))")))
                continue
            }
            events.append(event(base64: base64, mimeHint: mime, sourceURL: url))
        }
        return events
    }

    /// Texts of `multi_mod_content` items, used when `content` itself is empty.
    public static func multiModText(in message: [String: Any]) -> String {
        (message["multi_mod_content"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }.joined()
    }

    /// `data:image/png;base64,AAAA` → ("image/png", "AAAA"); nil for anything else.
    public static func splitDataURL(_ url: Substring) -> (mime: String, base64: Substring)? {
        guard url.lowercased().hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.lowercased().hasSuffix(";base64") else { return nil }
        return (String(header.dropLast(7)), url[url.index(after: comma)...])
    }

    public static func splitDataURL(_ url: String) -> (mime: String, base64: Substring)? { splitDataURL(url[...]) }

    /// Decodes standard or URL-safe base64, with or without padding and line breaks; nil when it is not base64.
    public static func decodeBase64<S: StringProtocol>(_ text: S) -> Data? {
        var cleaned = String(text.filter { !$0.isWhitespace })
        if cleaned.contains("-") || cleaned.contains("_") {
            cleaned = cleaned.replacingScalars("-", with: "+").replacingScalars("_", with: "/")
        }
        let remainder = cleaned.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { cleaned += String(repeating: "=", count: 4 - remainder) }
        guard let data = Data(base64Encoded: cleaned), !data.isEmpty else { return nil }
        return data
    }

    /// "png" → "image/png"; full types pass through lowercased.
    static func normalisedMIME(_ mime: String) -> String {
        let lower = mime.lowercased().trimmingWhitespace()
        return lower.contains("/") ? lower : "image/" + lower
    }

    /// An image event for base64 a service returned (undecodable when it is not base64).
    static func event<S: StringProtocol>(base64: S, mimeHint: String?, sourceURL: String?) -> StreamEvent {
        guard let data = decodeBase64(base64) else {
            return .image(.undecodable("a returned image\(mimeHint.map { " (\($0))" } ?? "") is not valid base64"))
        }
        return .image(.decoded(data: data, mimeHint: mimeHint, sourceURL: sourceURL))
    }
}
