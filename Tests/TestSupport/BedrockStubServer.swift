import Foundation
import Imaging

/// A loopback server speaking AWS Bedrock's Converse API: `POST /model/{id}/converse` and `/converse-stream` (real
/// event-stream frames with CRC-32s), `GET /foundation-models`. Every SigV4 signature is checked by botocore's
/// signer (Tests/Conformance/verify-sigv4.py, python3-botocore), independently of vq's; a Bedrock API key is
/// accepted as a bearer token. Faults: a frame with a bad CRC, an exception frame mid-stream, a status.
public final class BedrockStubServer: @unchecked Sendable {
    /// Bedrock-specific faults.
    public enum Fault: Sendable {
        case none
        /// The second frame's message CRC is wrong.
        case badCRC
        /// A `modelStreamErrorException` frame after the first text.
        case exceptionInStream
        /// This status with AWS's `{"message"}` body and `x-amzn-ErrorType`.
        case status(Int, type: String, message: String)
    }

    public let accessKey: String
    public let secretKey: String
    public let sessionToken: String?
    public let region: String
    public let bearerToken: String?
    public let fault: Fault
    private var server: LoopbackHTTPServer!
    private let lock = NSLock()
    private var verified = 0
    public var baseURL: String { server.baseURL }
    public var requests: [RecordedRequest] { server.requests }
    /// Requests whose signature botocore recomputed and matched.
    public var verifiedSignatures: Int { lock.withLock { verified } }

    public init(
        accessKey: String = "AKIDSTUBEXAMPLE", secretKey: String = "stub/secret+KEY", sessionToken: String? = nil, region: String = "eu-west-3",
        bearerToken: String? = nil, fault: Fault = .none
    ) throws {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.sessionToken = sessionToken
        self.region = region
        self.bearerToken = bearerToken
        self.fault = fault
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ type: String, _ message: String) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", "\(type):http://internal.amazon.com/coral/")],
            body: Data(#"{"message":\#(NativeStub.json(message))}"#.utf8))
    }

    /// Nil when the request is authorised; else why not.
    private func authorizationProblem(_ request: RecordedRequest) -> String? {
        let authorization = request.header("authorization") ?? ""
        if authorization.hasPrefix("Bearer ") {
            return bearerToken != nil && authorization == "Bearer \(bearerToken!)" ? nil : "The security token included in the request is invalid."
        }
        let input: [String: Any] = [
            "method": request.method, "url": "http://\(request.header("host") ?? "")\(request.path)", "headers": request.headers,
            "body": request.body.base64EncodedString(), "access_key": accessKey, "secret_key": secretKey,
            "token": sessionToken as Any, "service": "bedrock", "region": region,
        ]
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Conformance/verify-sigv4.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        do { try process.run() } catch { return "cannot run the botocore verifier: \(error)" }
        stdin.fileHandleForWriting.write(try! JSONSerialization.data(withJSONObject: input))
        try? stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return "The request signature we calculated does not match the signature you provided. (\(output.prefix(2000)))"
        }
        lock.withLock { verified += 1 }
        return nil
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        if let problem = authorizationProblem(request) {
            return error(writer, 403, problem.hasPrefix("The security token") ? "UnrecognizedClientException" : "InvalidSignatureException", problem)
        }
        if request.method == "GET", request.path.hasPrefix("/foundation-models") {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"modelSummaries":[{"modelId":"anthropic.claude-3-haiku-20240307-v1:0","inputModalities":["TEXT","IMAGE"]},{"modelId":"amazon.titan-text-express-v1","inputModalities":["TEXT"]},{"modelId":"amazon.nova-lite-v1:0","inputModalities":["TEXT","IMAGE","VIDEO"]}]}"#
                        .utf8))
        }
        let streaming = request.path.hasSuffix("/converse-stream")
        guard request.method == "POST", request.path.hasPrefix("/model/"), streaming || request.path.hasSuffix("/converse") else {
            return error(writer, 404, "UnknownOperationException", "no route for \(request.method) \(request.path)")
        }
        if case .status(let status, let type, let message) = fault { return error(writer, status, type, message) }
        guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]], !messages.isEmpty else {
            return error(writer, 400, "ValidationException", "messages is required")
        }
        var images: [ImageInfo] = []
        var documents: [Int] = []
        for message in messages {
            guard ["user", "assistant"].contains(message["role"] as? String ?? "") else { return error(writer, 400, "ValidationException", "bad role") }
            for block in message["content"] as? [[String: Any]] ?? [] {
                if let document = block["document"] as? [String: Any] {
                    guard document["format"] as? String == "pdf", document["name"] is String else {
                        return error(writer, 400, "ValidationException", "a document needs format pdf and a name")
                    }
                    switch NativeStub.document(base64: (document["source"] as? [String: Any])?["bytes"] as? String ?? "", mime: "application/pdf") {
                    case .success(let pages): documents.append(pages)
                    case .failure(let failure): return error(writer, 400, "ValidationException", failure.message)
                    }
                    continue
                }
                guard let image = block["image"] as? [String: Any] else { continue }
                let format = image["format"] as? String ?? ""
                guard ["png", "jpeg", "gif", "webp"].contains(format) else { return error(writer, 400, "ValidationException", "bad image format") }
                switch NativeStub.image(base64: (image["source"] as? [String: Any])?["bytes"] as? String ?? "", mime: "image/\(format)") {
                case .success(let info): images.append(info)
                case .failure(let failure): return error(writer, 400, "ValidationException", failure.message)
                }
            }
        }
        var answer = NativeStub.answer(images: images, documents: documents)
        if let system = (body["system"] as? [[String: Any]])?.first?["text"] as? String { answer += " System: \(system)." }
        if messages.count > 1 { answer += " Turns: \(messages.count)." }
        let usage = #"{"inputTokens":\#(20 + images.count * 100),"outputTokens":7,"totalTokens":\#(27 + images.count * 100)}"#
        guard streaming else {
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"output":{"message":{"role":"assistant","content":[{"text":\#(NativeStub.json(answer))}]}},"stopReason":"end_turn","usage":\#(usage),"metrics":{"latencyMs":12}}"#
                        .utf8))
        }
        writer.startStream(status: 200, headers: [("Content-Type", "application/vnd.amazon.eventstream")])
        writer.sendChunk(EventStreamFrame.event("messageStart", #"{"role":"assistant"}"#))
        for (index, piece) in NativeStub.pieces(answer).enumerated() {
            var frame = EventStreamFrame.event("contentBlockDelta", #"{"contentBlockIndex":0,"delta":{"text":\#(NativeStub.json(piece))}}"#)
            if index == 1, case .badCRC = fault { frame[frame.count - 1] ^= 0xFF }
            writer.sendChunk(frame)
            if index == 0, case .exceptionInStream = fault {
                writer.sendChunk(
                    EventStreamFrame.exception("modelStreamErrorException", #"{"message":"The model failed mid-answer.","originalStatusCode":500}"#))
                return writer.endStream()
            }
        }
        writer.sendChunk(EventStreamFrame.event("contentBlockStop", #"{"contentBlockIndex":0}"#))
        writer.sendChunk(EventStreamFrame.event("messageStop", #"{"stopReason":"end_turn"}"#))
        writer.sendChunk(EventStreamFrame.event("metadata", #"{"usage":\#(usage),"metrics":{"latencyMs":12}}"#))
        writer.endStream()
    }
}

/// Builds AWS event-stream frames (prelude, string headers, payload, CRC-32s), with a bitwise CRC of its own so the
/// frames do not share code with vq's decoder.
public enum EventStreamFrame {
    public static func event(_ type: String, _ json: String) -> Data {
        frame(headers: [(":event-type", type), (":content-type", "application/json"), (":message-type", "event")], payload: Data(json.utf8))
    }

    public static func exception(_ type: String, _ json: String) -> Data {
        frame(headers: [(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")], payload: Data(json.utf8))
    }

    public static func frame(headers: [(String, String)], payload: Data) -> Data {
        var block = Data()
        for (name, value) in headers {
            block.append(UInt8(name.utf8.count))
            block.append(contentsOf: Array(name.utf8))
            block.append(7)
            block.append(contentsOf: [UInt8(value.utf8.count >> 8), UInt8(value.utf8.count & 0xFF)])
            block.append(contentsOf: Array(value.utf8))
        }
        return frame(headerBlock: block, payload: payload)
    }

    /// A frame around an already encoded header block (for header types other than strings).
    public static func frame(headerBlock block: Data, payload: Data) -> Data {
        var out = Data()
        append32(&out, UInt32(16 + block.count + payload.count))
        append32(&out, UInt32(block.count))
        append32(&out, crc32(out))
        out.append(block)
        out.append(payload)
        append32(&out, crc32(out))
        return out
    }

    private static func append32(_ data: inout Data, _ value: UInt32) {
        data.append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// Bit by bit, reflected polynomial 0xEDB88320.
    public static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
