import FoundationEssentials
import Imaging
import Platform
import TextFormatting
import Transport

/// Shows the request `--dry-run` would send: method, URL, headers with secrets redacted, the JSON body with base64 elided.
public enum DryRunRenderer {
    public static func render(
        _ request: HTTPRequest, json: Bool, images: [String] = [], estimatedTokens: [String: Any]? = nil, estimatedCost: Cost? = nil
    ) -> String {
        let headers = request.headers.map { header in
            (header.name, request.secretHeaderNames.contains(header.name.lowercased()) ? "[redacted]" : header.value)
        }
        let body = elided(request.body)
        let bodyObject = try? JSONReader.value(body)
        if json {
            var object: [String: Any] = [
                "method": request.method, "url": URLRedactor.redact(request.url),
                "headers": Dictionary(headers, uniquingKeysWith: { _, last in last }),
                "body_bytes": request.bodyLength,
                "images": images,
            ]
            object["body"] = bodyObject ?? String(decoding: body, as: UTF8.self)
            if let estimatedTokens { object["estimated_input_tokens"] = estimatedTokens }
            if let estimatedCost { object["estimated_cost"] = estimatedCost.jsonObject }
            return JSONText.render(object, pretty: true) + "\n"
        }
        var text = "\(request.method) \(URLRedactor.redact(request.url))\n"
        for (name, value) in headers { text += "\(name): \(value)\n" }
        text += "\n"
        text += bodyObject.map { JSONText.render($0, pretty: true) } ?? String(decoding: body, as: UTF8.self)
        return text + "\n"
    }

    /// The body's bytes with each image's base64 (and binary data) replaced by a short note of its size.
    public static func elided(_ parts: [BodyPart]) -> Data {
        var body = Data()
        for part in parts {
            switch part {
            case .bytes(let data): body.append(data)
            case .binary(let data): body.append(Data("[\(ByteCountText.format(data.count)) of binary data elided]".utf8))
            case .base64(let data): body.append(Data("[base64 of \(ByteCountText.format(data.count)) elided]".utf8))
            case .file(let path, let length): body.append(Data("[\(ByteCountText.format(length)) from \(path)]".utf8))
            case .base64File(let path, let length): body.append(Data("[base64 of \(ByteCountText.format(length)) from \(path) elided]".utf8))
            }
        }
        return body
    }
}
