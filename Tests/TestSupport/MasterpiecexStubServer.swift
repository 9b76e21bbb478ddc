import Foundation
import Imaging

/// A loopback server that behaves like Masterpiecex (seed 000): `POST /v2/assets/create` hands out a signed
/// upload URL on the same server (`/upload/<name>?X-Amz-Signature=…`), `PUT` there stores the bytes (refusing a
/// wrong Content-Type or an Authorization header, as S3 does), `POST /v2/llm/image_query` accepts only public
/// URLs (no query string) and answers `pending`, and `GET /v2/status/{id}` walks pending → processing → complete
/// (or failed, or never finishes). Several jobs may run at once (a batch), each with its own id.
public final class MasterpiecexStubServer: @unchecked Sendable {
    /// How the job ends.
    public enum Ending: Sendable { case complete, failed, never }

    public let expectedKey: String
    public let ending: Ending
    private let lock = NSLock()
    private var uploads: [String: (type: String, info: ImageInfo)] = [:]
    /// Each submitted job's image URLs and how often it was polled; ids count up from req-42.
    private var jobs: [String: (urls: [String], polls: Int)] = [:]
    private var server: LoopbackHTTPServer!

    public var baseURL: String { server.baseURL + "/v2" }
    public var requests: [RecordedRequest] { server.requests }
    /// Public URLs of stored uploads.
    public var uploadedURLs: [String] { lock.withLock { uploads.keys.sorted().map { server.baseURL + "/upload/" + $0 } } }

    public init(expectedKey: String = "sk-test-secret", ending: Ending = .complete) throws {
        self.expectedKey = expectedKey
        self.ending = ending
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        let path = String(request.path.prefix { $0 != "?" })
        if path.hasPrefix("/upload/") { return upload(request, name: String(path.dropFirst(8)), writer) }
        guard request.header("authorization") == "Bearer \(expectedKey)" else {
            return json(writer, 401, #"{"message":"Unauthorized: invalid bearer token"}"#)
        }
        switch (request.method, path) {
        case ("POST", "/v2/assets/create"):
            guard let body = try? request.json() as? [String: Any], let name = body["name"] as? String,
                body["description"] is String, let type = body["type"] as? String
            else {
                return json(writer, 400, #"{"message":"name, description and type are required"}"#)
            }
            guard !name.isEmpty, name.allSatisfy({ "abcdefghijklmnopqrstuvwxyz0123456789_.".contains($0) }) else {
                return json(writer, 400, #"{"message":"Invalid asset name"}"#)
            }
            lock.withLock { uploads[name] = nil }
            let url = "\(server.baseURL)/upload/\(name)?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=0f1e2d3c&x-type=\(type)"
            json(writer, 200, #"{"requestId":"asset-\#(name)","assetUrl":"\#(url)","status":"complete","balance":100}"#)
        case ("POST", "/v2/llm/image_query"):
            guard let body = try? request.json() as? [String: Any], let prompt = body["userPrompt"] as? String, !prompt.isEmpty,
                let urls = body["imageUrls"] as? [String], !urls.isEmpty
            else {
                return json(writer, 400, #"{"message":"userPrompt and imageUrls are required"}"#)
            }
            if let signed = urls.first(where: { $0.contains("?") }) {
                return json(writer, 400, #"{"message":"imageUrls must be public URLs: \#(signed.prefix(40))"}"#)
            }
            let known = lock.withLock { uploads.keys.map { server.baseURL + "/upload/" + $0 } }
            if let missing = urls.first(where: { $0.hasPrefix(server.baseURL) && !known.contains($0) }) {
                return json(writer, 400, #"{"message":"asset not uploaded: \#(missing)"}"#)
            }
            let id = lock.withLock { () -> String in
                let id = "req-\(42 + jobs.count)"
                jobs[id] = (urls, 0)
                return id
            }
            json(writer, 200, #"{"requestId":"\#(id)","status":"pending","balance":98}"#)
        case ("GET", _) where path.hasPrefix("/v2/status/"):
            let id = String(path.dropFirst("/v2/status/".count))
            guard
                let (count, answer) = lock.withLock({ () -> (Int, String)? in
                    guard let job = jobs[id] else { return nil }
                    jobs[id]!.polls += 1
                    let described = job.urls.map { url -> String in
                        if let name = url.split(separator: "/").last, let upload = uploads[String(name)] {
                            return "\(upload.info.format.rawValue) \(upload.info.width)x\(upload.info.height)"
                        }
                        return url
                    }
                    return (job.polls + 1, "Saw \(job.urls.count) image(s): \(described.joined(separator: ", ")).")
                })
            else { return json(writer, 404, #"{"message":"no such request: \#(id)"}"#) }
            switch (count, ending) {
            case (1, _): json(writer, 200, #"{"requestId":"\#(id)","status":"pending","progress":0}"#)
            case (_, .never), (2, _): json(writer, 200, #"{"requestId":"\#(id)","status":"processing","progress":50}"#)
            case (_, .failed): json(writer, 200, #"{"requestId":"\#(id)","status":"failed","error":"image could not be analysed"}"#)
            case (_, .complete):
                json(
                    writer, 200,
                    #"{"requestId":"\#(id)","status":"complete","processingTime_s":5.777,"outputs":{"output":\#(OpenAIStubServer.jsonString(answer))},"outputUrl":null}"#
                )
            }
        default:
            json(writer, 404, #"{"message":"Not found: \#(request.method) \#(path)"}"#)
        }
    }

    private func upload(_ request: RecordedRequest, name: String, _ writer: ResponseWriter) {
        guard request.method == "PUT" else { return writer.respond(status: 405, body: Data()) }
        guard request.path.contains("X-Amz-Signature=") else { return xml(writer, 403, "SignatureDoesNotMatch") }
        if request.header("authorization") != nil { return xml(writer, 400, "InvalidArgument: Only one auth mechanism allowed") }
        let declared = request.path.components(separatedBy: "x-type=").last ?? ""
        guard request.header("content-type") == declared else { return xml(writer, 403, "SignatureDoesNotMatch: Content-Type") }
        guard let info = try? ImageValidator.validate(request.body), info.format.mimeType == declared else {
            return xml(writer, 400, "the bytes are not a \(declared) image")
        }
        lock.withLock { uploads[name] = (declared, info) }
        writer.respond(status: 200, body: Data())
    }

    private func json(_ writer: ResponseWriter, _ status: Int, _ body: String) {
        writer.respond(status: status, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
    }

    private func xml(_ writer: ResponseWriter, _ status: Int, _ code: String) {
        writer.respond(
            status: status, headers: [("Content-Type", "application/xml")],
            body: Data("<?xml version=\"1.0\"?><Error><Code>\(code)</Code></Error>".utf8))
    }
}
