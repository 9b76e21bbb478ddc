import FoundationEssentials
import History
import Platform

/// Logged exchanges as a `Conversation`: each becomes a user turn (prompt, then its images from the stored
/// prepared bytes, or the URL the service fetched) and an assistant turn (the answer). Every adapter maps those
/// turns to its own wire format, so a conversation can go on with another profile or api.
/// Files the exchanges left on a service's Files API (`--keep-uploads`) come along, for the next exchange to reuse.
enum ConversationReplay {
    /// Where an exchange's `options` keep the files it left on the service.
    static let uploadsKey = "kept_uploads"

    /// Exchanges that failed before any answer arrived are left out: they have nothing to pair with.
    static func conversation(_ exchanges: [HistoryExchange]) -> Conversation? {
        var messages: [[String: Any]] = []
        var uploads: [String: GeminiFile] = [:]
        for exchange in exchanges {
            let kept = JSONValue.object(from: Data(exchange.options.utf8))?[uploadsKey] as? [String: Any] ?? [:]
            for (key, value) in kept { if let file = GeminiFile(logObject: value) { uploads[key] = file } }
        }
        for exchange in exchanges where exchange.error == nil || !exchange.answer.isEmpty {
            var parts: [[String: Any]] = []
            if !exchange.prompt.isEmpty { parts.append(["type": "text", "text": exchange.prompt]) }
            for image in exchange.images {
                switch image.content {
                case .inline(_, let mime, _, _, _, let bytes) where mime == "application/pdf":
                    let name = PathText.lastComponent(image.source)
                    parts.append([
                        "type": "file",
                        "file": ["filename": name.isEmpty ? "document.pdf" : name, "file_data": "data:\(mime);base64,\(bytes.base64EncodedString())"],
                    ])
                case .inline(_, let mime, _, _, _, let bytes):
                    parts.append(["type": "image_url", "image_url": ["url": "data:\(mime);base64,\(bytes.base64EncodedString())"]])
                case .url(let url):
                    parts.append(["type": "image_url", "image_url": ["url": url]])
                }
            }
            messages.append(["role": "user", "content": parts])
            messages.append(["role": "assistant", "content": exchange.answer])
        }
        guard !messages.isEmpty else { return nil }
        guard var conversation = try? Conversation.parse(JSONWriter.data(messages), source: "the log") else {
            preconditionFailure("logged turns do not form a conversation")
        }
        conversation.uploads = uploads
        conversation.fromLog = true
        return conversation
    }
}
