import FoundationEssentials
import History
import Imaging
import TextFormatting

/// How `vq logs` shows exchanges: a readable block each (whole with `show`), or a JSON object each.
public enum LogRenderer {
    /// A listing: heading, prompt, images and answer of each exchange.
    public static func text(_ exchanges: [HistoryExchange]) -> StyledText {
        var text = StyledText()
        for (index, exchange) in exchanges.enumerated() {
            if index > 0 { text.append("\n") }
            text.append(block(exchange, whole: false))
        }
        return text
    }

    /// One exchange with everything the log holds about it.
    public static func whole(_ exchange: HistoryExchange) -> StyledText { block(exchange, whole: true) }

    private static func block(_ exchange: HistoryExchange, whole: Bool) -> StyledText {
        var heading = [
            "#\(exchange.id)", timestamp(exchange.time), "conversation \(exchange.conversationID ?? 0)",
            "\(exchange.profile) (\(exchange.api))",
        ]
        if let model = exchange.model { heading.append(model) }
        var text = StyledText(heading.joined(separator: "  "), .heading)
        text.append("\n")
        func field(_ label: String, _ value: String) {
            text.append(label + ":", .label)
            text.append(" " + value + "\n")
        }
        if whole, let system = exchange.system { field("System", system) }
        field("Prompt", exchange.prompt)
        for image in exchange.images { field("Image", describe(image, whole: whole)) }
        if let error = exchange.error { field("Error", error) }
        if !exchange.answer.isEmpty || exchange.error == nil {
            text.append("Answer:", .label)
            text.append("\n\(exchange.answer)\(exchange.answer.hasSuffix("\n") ? "" : "\n")")
        }
        for path in exchange.savedImages { field("Saved", path) }
        guard whole else { return text }
        field("Options", exchange.options)
        var usage: [String] = []
        if let tokens = exchange.promptTokens { usage.append("\(tokens) in") }
        if let tokens = exchange.completionTokens { usage.append("\(tokens) out") }
        if !usage.isEmpty { field("Tokens", usage.joined(separator: ", ")) }
        if let reason = exchange.finishReason { field("Finish", reason) }
        field("Duration", "\(DecimalText.fixed(exchange.duration, places: 2)) s")
        return text
    }

    private static func describe(_ image: HistoryImage, whole: Bool) -> String {
        switch image.content {
        case .url(let url):
            return url == image.source ? "\(url) (URL passed to the service)" : "\(image.source) (\(url), passed to the service)"
        case .inline(let sha256, let mime, let width, let height, let count, _):
            let kind = mime.hasPrefix("image/") ? String(mime.dropFirst(6)) : mime
            let name = image.source == "-" ? "stdin" : image.source
            return "\(name) \(width)x\(height) \(ByteCountText.format(count)) (\(kind)" + (whole ? ", sha256 \(sha256))" : ")")
        }
    }

    /// The JSON object of one exchange (`vq logs --json` prints one per line), built by `ResultObject`.
    public static func object(_ exchange: HistoryExchange) -> [String: Any] {
        ResultObject.logEntry(exchange, images: exchange.images.map(imageObject), time: timestamp(exchange.time))
    }

    private static func imageObject(_ image: HistoryImage) -> [String: Any] {
        switch image.content {
        case .url(let url): return ["source": image.source, "url": url]
        case .inline(let sha256, let mime, let width, let height, let count, _):
            return ["source": image.source, "sha256": sha256, "mime_type": mime, "width": width, "height": height, "bytes": count]
        }
    }

    private static func timestamp(_ date: Date) -> String { HistoryTimestamp.text(date, milliseconds: false) }
}
