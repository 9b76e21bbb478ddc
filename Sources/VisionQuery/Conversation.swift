import Foundation

/// Earlier turns sent before the prompt (`--messages FILE.json`): OpenAI-style `{role, content}` messages,
/// given as a JSON array or as `{"messages": [...]}` (the shape of Segmind's and OpenAI's request bodies).
public struct Conversation: Sendable {
    /// The validated messages array as JSON (kept as bytes so the value stays Sendable).
    private let json: Data
    public let count: Int

    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool"]

    /// Reads and checks the file: 66 when it cannot be read, 65 when it is not a list of messages.
    public static func load(path: String) throws(VQError) -> Conversation {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw VQError(.inputMissing, "\(path): cannot read --messages file: \(FileErrors.reason(error, path: path))")
        }
        return try parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String) throws(VQError) -> Conversation {
        guard let value = try? JSONSerialization.jsonObject(with: data) else {
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
            guard content is String || content is [Any] || (content is NSNull && role == "assistant") else {
                throw VQError(.badInput, "\(source): message \(index + 1) needs \"content\": a string or a list of parts")
            }
        }
        guard let json = try? JSONSerialization.data(withJSONObject: messages) else {
            preconditionFailure("parsed JSON does not serialise")
        }
        return Conversation(json: json, count: messages.count)
    }

    /// The messages as JSON objects, for building a request body.
    public var messages: [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: json)) as? [[String: Any]] ?? []
    }
}
