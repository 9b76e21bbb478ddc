import FoundationEssentials
import Platform
import TextFormatting
import Transport

/// The requests of Gemini's Files API: the resumable upload's start (`POST {root}/upload/{version}/files`) and its
/// one `upload, finalize` step, `GET` and `DELETE {base}/files/{id}`. The key goes in the profile's auth header
/// (`x-goog-api-key`), never in a URL. Builds requests and reads answers; does no I/O.
public struct GeminiFilesAPI: Sendable {
    public let profile: Profile
    public let key: String?
    public let extraHeaders: [(name: String, value: String)]

    public init(profile: Profile, key: String?, extraHeaders: [(name: String, value: String)] = []) {
        self.profile = profile
        self.key = key
        self.extraHeaders = extraHeaders
    }

    /// The upload endpoint for `base_url` `https://host/v1beta` is `https://host/upload/v1beta/files`: `/upload` goes
    /// before the last path segment (the API version).
    public var uploadURL: String {
        var base = profile.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        guard let schemeEnd = base.firstRange(of: "://"), let slash = base[schemeEnd.upperBound...].lastIndex(of: "/") else {
            return base + "/upload/files"
        }
        return base[..<slash] + "/upload" + base[slash...] + "/files"
    }

    /// Step 1: opens a resumable session for `source`; the answer's `X-Goog-Upload-URL` header is where the bytes go.
    public func startRequest(_ source: UploadSource) -> HTTPRequest {
        let body = JSONWriter.data(["file": ["display_name": source.displayName]])
        var request = HTTPRequest(
            method: "POST", url: uploadURL,
            headers: [
                ("X-Goog-Upload-Protocol", "resumable"), ("X-Goog-Upload-Command", "start"),
                ("X-Goog-Upload-Header-Content-Length", String(source.length)),
                ("X-Goog-Upload-Header-Content-Type", source.mimeType), ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ], body: [.bytes(body)])
        authorize(&request)
        return request
    }

    /// Step 2: all the bytes at offset 0, finalising the upload; the answer is `{"file":{…}}`.
    public func uploadRequest(_ source: UploadSource, to sessionURL: String) -> HTTPRequest {
        var request = HTTPRequest(
            method: "POST", url: sessionURL,
            headers: [
                ("X-Goog-Upload-Command", "upload, finalize"), ("X-Goog-Upload-Offset", "0"),
                ("Content-Type", source.mimeType), ("Accept", "application/json"),
            ], body: [source.body])
        authorize(&request)
        return request
    }

    /// Abandons a session whose bytes did not all arrive (Ctrl-C, a failed upload), so no half file is kept.
    public func cancelRequest(sessionURL: String) -> HTTPRequest {
        var request = HTTPRequest(method: "POST", url: sessionURL, headers: [("X-Goog-Upload-Command", "cancel")])
        authorize(&request)
        return request
    }

    /// The file's current state (`files/abc123`).
    public func getRequest(_ name: String) -> HTTPRequest {
        var request = HTTPRequest(method: "GET", url: fileURL(name), headers: [("Accept", "application/json")])
        authorize(&request)
        return request
    }

    public func deleteRequest(_ name: String) -> HTTPRequest {
        var request = HTTPRequest(method: "DELETE", url: fileURL(name), headers: [("Accept", "application/json")])
        authorize(&request)
        return request
    }

    /// What a file id keeps unencoded: ASCII letters and digits, `-` and `_`.
    private static let idCharacters = Set("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)

    /// `{base_url}/files/abc123`; the name is the service's, so anything but `files/` and URL-safe characters is refused.
    private func fileURL(_ name: String) -> String {
        let id = name.hasPrefix("files/") ? String(name.dropFirst(6)) : name
        let safe = PercentEncoding.encode(id, allowing: Self.idCharacters)
        var base = profile.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/files/" + safe
    }

    private func authorize(_ request: inout HTTPRequest) {
        request.addAuthentication(key: key, profile: profile, defaultHeader: "x-goog-api-key")
        request.apply(extraHeaders: extraHeaders)
    }
}
