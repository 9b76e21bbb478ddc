import FoundationEssentials
import Platform

/// A JSON-RPC 2.0 request id: a string or an integer, echoed back as it came.
public enum JSONRPCID: Hashable, Sendable {
    case number(Int64)
    case string(String)

    /// The id as it came (nil for anything else: the message is then invalid). Values are as `JSONRPCMessage.parse`
    /// makes them: Swift's own `String`, `Int`, `Double`, `Bool` (never an id).
    init?(_ value: Any?) {
        switch value {
        case let text as String: self = .string(text)
        case let whole as Int: self = .number(Int64(whole))
        case let number as Double:
            guard let whole = Int64(exactly: number) else { return nil }
            self = .number(whole)
        default: return nil
        }
    }

    /// The id for JSON output.
    var json: Any {
        switch self {
        case .number(let value): Int(value)
        case .string(let value): value
        }
    }
}

/// A JSON-RPC error object: the protocol's codes and one line saying what was wrong.
public struct JSONRPCError: Error, Sendable, Equatable {
    public let code: Int
    public let message: String

    static func parseError(_ detail: String) -> JSONRPCError { JSONRPCError(code: -32700, message: "Parse error: \(detail)") }
    static func invalidRequest(_ detail: String) -> JSONRPCError { JSONRPCError(code: -32600, message: "Invalid Request: \(detail)") }
    static func methodNotFound(_ method: String) -> JSONRPCError { JSONRPCError(code: -32601, message: "Method not found: \(method)") }
    static func invalidParams(_ detail: String) -> JSONRPCError { JSONRPCError(code: -32602, message: "Invalid params: \(detail)") }

    var json: [String: Any] { ["code": code, "message": message] }
}

/// One message read from the client, classified: a request to answer, a notification, the answer to a request the
/// server sent (roots/list), or something that only earns an error.
enum JSONRPCMessage {
    case request(id: JSONRPCID, method: String, params: [String: Any])
    case notification(method: String, params: [String: Any])
    case response(id: JSONRPCID, result: [String: Any]?, error: [String: Any]?)
    /// Answered with `error`; `id` is the request's when it could be read (else JSON null).
    case invalid(id: JSONRPCID?, error: JSONRPCError)

    /// Classifies one line of the stdio stream. Parsed by vq's own JSON reader into Swift values (`String`, `Int`,
    /// `Double`, `Bool`, `JSONNull`, arrays, `[String: Any]`): no Foundation objects, whose casts cost more than the parse.
    static func parse(_ line: Data) -> JSONRPCMessage {
        let value: Any
        do throws(OrderedJSON.ParseError) {
            value = try JSONReader.value(line)
        } catch {
            return .invalid(id: nil, error: .parseError("the line is not JSON (\(error.message) at byte \(error.offset))"))
        }
        guard let object = value as? [String: Any] else {
            return .invalid(id: nil, error: .invalidRequest(value is [Any] ? "batches are not part of MCP; send one message per line" : "not an object"))
        }
        let rawID = object["id"]
        let id = JSONRPCID(rawID)
        guard object["jsonrpc"] as? String == "2.0" else { return .invalid(id: id, error: .invalidRequest("\"jsonrpc\" must be \"2.0\"")) }
        if rawID != nil && !(rawID is JSONNull) && id == nil {
            return .invalid(id: nil, error: .invalidRequest("\"id\" must be a string or an integer"))
        }
        guard let method = object["method"] else {
            guard let id, object["result"] != nil || object["error"] != nil else {
                return .invalid(id: id, error: .invalidRequest("no \"method\""))
            }
            return .response(id: id, result: object["result"] as? [String: Any], error: object["error"] as? [String: Any])
        }
        guard let name = method as? String else { return .invalid(id: id, error: .invalidRequest("\"method\" must be a string")) }
        var params: [String: Any] = [:]
        if let given = object["params"], !(given is JSONNull) {
            guard let table = given as? [String: Any] else { return .invalid(id: id, error: .invalidParams("\"params\" must be an object")) }
            params = table
        }
        guard let id else {
            if rawID is JSONNull { return .invalid(id: nil, error: .invalidRequest("\"id\" must not be null")) }
            return .notification(method: name, params: params)
        }
        return .request(id: id, method: name, params: params)
    }
}
