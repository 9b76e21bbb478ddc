import Foundation

/// Builds server-sent-event frames for scripted streaming responses.
public enum SSE {
    /// `data: <json>\n\n`.
    public static func event(_ json: String) -> Data { Data("data: \(json)\n\n".utf8) }
    /// `event: <name>\ndata: <json>\n\n`.
    public static func event(_ name: String, _ json: String) -> Data { Data("event: \(name)\ndata: \(json)\n\n".utf8) }
    /// `data: [DONE]\n\n`.
    public static var done: Data { Data("data: [DONE]\n\n".utf8) }
}
