import FoundationEssentials
import Platform

/// Earlier turns sent before the prompt (`--messages FILE.json`): OpenAI-style `{role, content}` messages,
/// given as a JSON array or as `{"messages": [...]}` (the shape of Segmind's and OpenAI's request bodies).
public struct Conversation: Sendable {
    /// The validated messages array as JSON (kept as bytes so the value stays Sendable).
    private let json: Data
    public let count: Int
    /// Files earlier exchanges left on the service's Files API (`--keep-uploads`), by `UploadSource.key`: a continued
    /// conversation reuses them while the service still has them.
    public var uploads: [String: GeminiFile] = [:]
    /// Whether the turns came from vq's own log (then a `file://` video URL is one vq sent whole and may send again);
    /// false for a `--messages` file, whose file URLs are never read.
    public var fromLog = false

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool"]

    /// Reads and checks the file: 66 when it cannot be read, 65 when it is not a list of messages.
    public static func load(path: String) throws(VQError) -> Conversation {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VQError(.inputMissing, "\(path): cannot read --messages file: \(ErrorDescription.reason(error))")
        }
        return try parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String) throws(VQError) -> Conversation {
        guard let value = try? JSONReader.value(data) else {
            throw VQError(.badInput, "\(source): --messages file is not valid JSON")
        }
        guard let messages = (value as? [Any]) ?? ((value as? [String: Any])?["messages"] as? [Any]) else {
            throw VQError(.badInput, "\(source): expected a JSON array of messages or an object with \"messages\"")
        }
        for (index, item) in messages.enumerated() {
            guard let message = item as? [String: Any], let role = message["role"] as? String else {
                throw VQError(.badInput, "\(source): message \(index + 1) needs a \"role\"")
            }
            guard roles.contains(role) else {
                throw VQError(.badInput, "\(source): message \(index + 1) has role '\(role)'; expected one of \(roles.sorted().joined(separator: ", "))")
            }
            let content = message["content"]
            guard content is String || content is [Any] || (content is JSONNull && role == "assistant") else {
                throw VQError(.badInput, "\(source): message \(index + 1) needs \"content\": a string or a list of parts")
            }
        }
        return Conversation(json: JSONWriter.data(messages), count: messages.count)
    }

    /// The messages as JSON objects, for building a request body.
    public var messages: [[String: Any]] {
        (try? JSONReader.value(json)) as? [[String: Any]] ?? []
    }
}

/// One earlier turn, read from OpenAI-style messages, in a form every adapter can map to its own wire format.
public struct ConversationTurn: Sendable, Equatable {
    /// `system`, `developer`, `user`, `assistant` or `tool`.
    public var role: String
    public var parts: [Part]

    /// A piece of a turn's content.
    public enum Part: Sendable, Equatable {
        case text(String)
        /// An image sent inline: its MIME type and base64 text (from a `data:` URL).
        case inlineImage(mimeType: String, base64: String)
        /// An image by URL, for the service to fetch.
        case imageURL(String)
        /// A PDF sent whole, as an OpenAI `file` part (`file_data` data URL) holds it.
        case inlineDocument(mimeType: String, base64: String, fileName: String)
    }

    /// The text parts joined.
    public var text: String {
        parts.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined(separator: "\n")
    }
}

extension Conversation {
    /// The messages as turns: string content is one text part; `text` and `image_url` parts are kept in order.
    public var turns: [ConversationTurn] {
        messages.map { message in
            let role = message["role"] as? String ?? "user"
            if let text = message["content"] as? String { return ConversationTurn(role: role, parts: [.text(text)]) }
            var parts: [ConversationTurn.Part] = []
            for item in message["content"] as? [[String: Any]] ?? [] {
                if let text = item["text"] as? String {
                    parts.append(.text(text))
                    continue
                }
                if let file = item["file"] as? [String: Any], let data = file["file_data"] as? String,
                    let (mime, base64) = ReturnedImageDecoder.splitDataURL(data)
                {
                    parts.append(.inlineDocument(mimeType: mime, base64: String(base64), fileName: file["filename"] as? String ?? "document.pdf"))
                    continue
                }
                let holder = item["image_url"] ?? item["imageUrl"]
                guard let url = (holder as? [String: Any])?["url"] as? String ?? holder as? String else { continue }
                if let (mime, base64) = ReturnedImageDecoder.splitDataURL(url) {
                    parts.append(.inlineImage(mimeType: mime.isEmpty ? "image/png" : mime, base64: String(base64)))
                } else {
                    parts.append(.imageURL(url))
                }
            }
            return ConversationTurn(role: role, parts: parts)
        }
    }

    /// Whether an earlier turn holds a PDF sent whole.
    public var holdsDocuments: Bool {
        turns.contains { $0.parts.contains { if case .inlineDocument = $0 { true } else { false } } }
    }

    /// The conversation with each PDF sent whole replaced by `render`'s images of its pages (data URLs), for a
    /// service that reads no PDFs.
    func renderingDocuments(_ render: (Data) throws(VQError) -> [String]) throws(VQError) -> Conversation {
        var messages = self.messages
        for index in messages.indices {
            guard let content = messages[index]["content"] as? [[String: Any]] else { continue }
            var replaced: [[String: Any]] = []
            for item in content {
                guard let file = item["file"] as? [String: Any], let data = file["file_data"] as? String,
                    let (_, base64) = ReturnedImageDecoder.splitDataURL(data), let bytes = Data(base64Encoded: String(base64))
                else {
                    replaced.append(item)
                    continue
                }
                replaced += try render(bytes).map { ["type": "image_url", "image_url": ["url": $0]] }
            }
            messages[index]["content"] = replaced
        }
        return Conversation(json: JSONWriter.data(messages), count: messages.count)
    }

    /// System and developer turns joined, for services that take the system prompt apart from the messages.
    public var systemText: String? {
        let text = turns.filter { $0.role == "system" || $0.role == "developer" }.map(\.text).joined(separator: "\n\n")
        return text.isEmpty ? nil : text
    }
}
