import Foundation
import Imaging

/// A loopback server speaking Azure OpenAI: deployments (`/openai/deployments/{d}/chat/completions?api-version=…`,
/// only the versions it knows, no model field needed) and the v1 surface (`/openai/v1/chat/completions`, model in the
/// body); the key in `api-key`, or an Entra ID token as `Authorization: Bearer`. A prompt containing "forbidden" is
/// refused by the content filter (HTTP 400 `content_filter`, inner `ResponsibleAIPolicyViolation`); one containing
/// "filterme" has its answer stopped (finish reason `content_filter`). The Images API on the same routes
/// (`…/images/generations` JSON, `…/images/edits` multipart, no model field on a deployment) answers `n` `b64_json`
/// PNGs; an image prompt containing "forbidden" is refused with code `contentFilter`.
public final class AzureStubServer: @unchecked Sendable {
    public let key: String
    public let deployment: String
    public let bearerToken: String?
    public static let apiVersions: Set<String> = ["2024-10-21", "2025-04-01-preview"]
    private var server: LoopbackHTTPServer!
    public var baseURL: String { server.baseURL + "/openai" }
    public var requests: [RecordedRequest] { server.requests }

    public init(key: String = "sk-test-secret", deployment: String = "gpt4o-vision", bearerToken: String? = nil) throws {
        self.key = key
        self.deployment = deployment
        self.bearerToken = bearerToken
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    private func error(_ writer: ResponseWriter, _ status: Int, _ code: String, _ message: String, inner: String = "") {
        writer.respond(
            status: status, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"message":\#(NativeStub.json(message)),"type":null,"param":"prompt","code":"\#(code)","status":\#(status)\#(inner)}}"#.utf8))
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        let authorised =
            request.header("api-key") == key || (bearerToken != nil && request.header("authorization") == "Bearer \(bearerToken!)")
        guard authorised else {
            return error(writer, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint.")
        }
        if request.path.contains("/images/") { return images(request, writer) }
        let v1 = request.path == "/openai/v1/chat/completions"
        let deploymentPrefix = "/openai/deployments/\(deployment)/chat/completions?api-version="
        guard request.method == "POST", v1 || request.path.hasPrefix(deploymentPrefix) else {
            return error(writer, 404, "DeploymentNotFound", "The API deployment for this resource does not exist.")
        }
        if !v1 {
            let version = String(request.path.dropFirst(deploymentPrefix.count))
            guard Self.apiVersions.contains(version) else { return error(writer, 404, "404", "Resource not found") }
        }
        guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]] else {
            return error(writer, 400, "BadRequest", "messages is required")
        }
        if v1 && body["model"] as? String != deployment { return error(writer, 400, "BadRequest", "model must name the deployment on /openai/v1") }
        var images: [ImageInfo] = []
        var prompt = ""
        for message in messages {
            for part in message["content"] as? [[String: Any]] ?? [] {
                if let text = part["text"] as? String { prompt += text }
                guard let url = (part["image_url"] as? [String: Any])?["url"] as? String, let comma = url.firstIndex(of: ",") else { continue }
                let mime = url.dropFirst(5).prefix { $0 != ";" }
                switch NativeStub.image(base64: String(url[url.index(after: comma)...]), mime: String(mime)) {
                case .success(let info): images.append(info)
                case .failure(let failure): return error(writer, 400, "BadRequest", failure.message)
                }
            }
        }
        if prompt.contains("forbidden") {
            return error(
                writer, 400, "content_filter",
                "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
                inner:
                    #","innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"violence":{"filtered":true,"severity":"high"}}}"#
            )
        }
        let filtered = prompt.contains("filterme")
        let answer = NativeStub.answer(images: images) + (v1 ? " Surface: v1." : " Deployment: \(deployment).")
        let finish = filtered ? "content_filter" : "stop"
        let usage = #"{"prompt_tokens":20,"completion_tokens":7,"total_tokens":27}"#
        guard body["stream"] as? Bool == true else {
            let content = filtered ? "null" : NativeStub.json(answer)
            return writer.respond(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Data(
                    #"{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-2024-11-20","choices":[{"index":0,"message":{"role":"assistant","content":\#(content)},"finish_reason":"\#(finish)"}],"usage":\#(usage)}"#
                        .utf8))
        }
        writer.startStream(status: 200, headers: [("Content-Type", "text/event-stream")])
        writer.sendChunk(SSE.event(#"{"choices":[],"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}"#))
        for piece in NativeStub.pieces(answer).prefix(filtered ? 2 : .max) {
            writer.sendChunk(
                SSE.event(#"{"model":"gpt-4o-2024-11-20","choices":[{"index":0,"delta":{"content":\#(NativeStub.json(piece))},"finish_reason":null}]}"#))
        }
        writer.sendChunk(SSE.event(#"{"model":"gpt-4o-2024-11-20","choices":[{"index":0,"delta":{},"finish_reason":"\#(finish)"}],"usage":\#(usage)}"#))
        writer.sendChunk(SSE.done)
        writer.endStream()
    }

    /// `POST …/images/generations` or `…/images/edits` on a deployment (known api-version) or on the v1 surface.
    private func images(_ request: RecordedRequest, _ writer: ResponseWriter) {
        let operation = request.path.contains("/images/edits") ? "edits" : "generations"
        let v1 = request.path == "/openai/v1/images/\(operation)"
        let prefix = "/openai/deployments/\(deployment)/images/\(operation)?api-version="
        guard request.method == "POST", v1 || (request.path.hasPrefix(prefix) && Self.apiVersions.contains(String(request.path.dropFirst(prefix.count))))
        else { return error(writer, 404, "DeploymentNotFound", "The API deployment for this resource does not exist.") }
        var fields: [String: Any] = [:]
        if operation == "edits" {
            guard let type = request.header("content-type"), let range = type.range(of: "boundary="),
                let form = ImagesAPIStubServer.multipart(request.body, boundary: String(type[range.upperBound...])),
                form["image[]"] != nil || form["image"] != nil
            else { return error(writer, 400, "BadRequest", "an edit is multipart/form-data with an image") }
            for (name, values) in form where !name.hasPrefix("image") && name != "mask" { fields[name] = String(decoding: values[0], as: UTF8.self) }
        } else {
            guard let body = try? request.json() as? [String: Any] else { return error(writer, 400, "BadRequest", "not JSON") }
            fields = body
        }
        if (fields["model"] != nil) != v1 { return error(writer, 400, "BadRequest", v1 ? "model is required on /openai/v1" : "the deployment names the model") }
        let prompt = fields["prompt"] as? String ?? ""
        if prompt.contains("forbidden") {
            return error(writer, 400, "contentFilter", "Your request was rejected as a result of our safety system.")
        }
        let count = (fields["n"] as? Int) ?? Int(fields["n"] as? String ?? "1") ?? 1
        let item = #"{"b64_json":"\#(NativeStub.returnedImage.base64EncodedString())","revised_prompt":\#(NativeStub.json("Azure: " + prompt))}"#
        writer.respond(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Data(#"{"created":1,"data":[\#(Array(repeating: item, count: count).joined(separator: ","))]}"#.utf8))
    }
}
