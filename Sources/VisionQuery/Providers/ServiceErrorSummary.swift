import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// Turns a service's error response (any provider's JSON shape, HTML from a proxy, plain text) into one line and an exit category.
public enum ServiceErrorSummary {
    /// The one-line error for an HTTP failure status, e.g. "HTTP 401 from scaleway: Invalid API key".
    /// `headers` (lowercased names) let a status be read the way the service means it (Segmind's 406 + credits);
    /// an adapter that reads its own error shape passes `detail`, and a wait demanded in the body `demandedWait`;
    /// `shownStatus` is the status on the wire when the adapter reads it as another (Google's 400 for a bad key).
    public static func error(
        status: Int, body: Data, contentType: String?, profile: Profile,
        headers: [String: String] = [:], detail: String? = nil, demandedWait: Double? = nil,
        shownStatus: Int? = nil
    ) -> VQError {
        let detail = detail ?? message(fromBody: body, contentType: contentType)
        var text = "HTTP \(shownStatus ?? status) from \(profile.name): \(detail)"
        let category: VQError.Category
        switch status {
        case 401, 403:
            category = .permission
            let source = profile.keyEnv.map { "$\($0)" } ?? (profile.keyCmd != nil ? "key_cmd" : "the profile's key")
            text += " (check the API key from \(source))"
        case 402:
            category = .permission
            text += " (not enough credits; top up the account)"
        case 406:
            // Segmind answers 406 when the account has run out of credits.
            category = .permission
            if let credits = headers["x-remaining-credits"] {
                text += " (not enough credits: \(credits) remaining; top up the account)"
            } else {
                text += " (not acceptable; Segmind uses 406 for not enough credits)"
            }
        case 413:
            category = .badInput
            text += " (the request is too large: send fewer or smaller images\(profile.maxImages.map { "; at most \($0) per request" } ?? ""))"
        case 429:
            category = .rateLimited
            if let wait = demandedWait ?? RetryPolicy.demandedWait(headers) {
                text += " (the service asks to wait; try again in \(DecimalText.fixed(wait.rounded(.up), places: 0)) s)"
            }
        case 404:
            category = .config
            text += " (check base_url/path and the model name)"
        case 405:
            category = .config
            text += " (this URL does not accept POST: check base_url and path)"
        case 500:
            category = .unavailable
            text += " (the service failed while processing the request; try again later)"
        case 408, 501...599: category = .unavailable
        default: category = .badInput
        }
        var error = VQError(category, text)
        error.httpStatus = status
        return error
    }

    /// The most useful line in an error body.
    public static func message(fromBody body: Data, contentType: String?) -> String {
        if body.isEmpty { return "empty response body" }
        if let json = try? JSONReader.value(body) {
            if let text = message(fromJSON: json) { return text }
        }
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        if (contentType ?? "").contains("html") || text.range(ofCaseInsensitive: "<html") != nil {
            if let title = htmlTitle(text) { return "an HTML error page: \(title)" }
            return "an HTML error page (from a proxy?)"
        }
        return excerpt(body)
    }

    /// The message inside an `error` value: a string, or an object with `message`.
    public static func message(fromErrorValue value: Any) -> String {
        if let text = value as? String { return text }
        if let object = value as? [String: Any] {
            var text = (object["message"] as? String) ?? (object["type"] as? String) ?? "unknown error"
            if let code = object["code"] as? String, !text.contains(code) { text += " (\(code))" }
            if let metadata = object["metadata"] as? [String: Any], let raw = metadata["raw"] as? String {
                text += ": \(oneLine(raw, limit: 200))"
            }
            return oneLine(text, limit: 400)
        }
        return oneLine("\(value)", limit: 400)
    }

    /// First line of a body, shortened.
    public static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let short = oneLine(line, limit: 200)
        return short.isEmpty ? "empty response body" : short
    }

    private static func message(fromJSON json: Any) -> String? {
        if let array = json as? [Any], let first = array.first { return message(fromJSON: first) }
        guard let object = json as? [String: Any] else { return nil }
        if let error = object["error"], !(error is JSONNull) { return message(fromErrorValue: error) }
        if let text = object["message"] as? String { return oneLine(text, limit: 400) }
        if let detail = object["detail"] {
            if let text = detail as? String { return oneLine(text, limit: 400) }
            if let items = detail as? [[String: Any]], let first = items.first?["msg"] as? String { return oneLine(first, limit: 400) }
        }
        return nil
    }

    private static func htmlTitle(_ html: String) -> String? {
        guard let start = html.range(ofCaseInsensitive: "<title>"),
            let end = html.range(ofCaseInsensitive: "</title>", in: start.upperBound..<html.endIndex)
        else { return nil }
        let title = oneLine(String(html[start.upperBound..<end.lowerBound]), limit: 120)
        return title.isEmpty ? nil : title
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        let collapsed = text.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            .trimmingWhitespace()
        return collapsed.count > limit ? String(collapsed.prefix(limit)) + "…" : collapsed
    }
}
