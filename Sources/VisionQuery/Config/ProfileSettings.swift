import FoundationEssentials
import TOMLKit

/// The fields one `[profiles.NAME]` section sets; unset fields keep the built-in (or default) value.
public struct ProfileSettings: Equatable, Sendable {
    public var api: APIKind?
    public var baseURL: String?
    public var path: String?
    public var model: String?
    public var keyEnv: String?
    public var keyCmd: String?
    public var key: String?
    public var auth: String?
    public var headers: [String: String]?
    public var maxImages: Int?
    public var imageURLs: ImageURLMode?
    public var maxTokensField: String?
    public var streamUsage: Bool?
    public var modalities: [String]?
    public var pollInterval: Double?
    public var pollTimeout: Double?
    public var maxSide: Int?
    public var maxPixels: Int?
    public var maxImageBytes: Int?
    public var maxRequestBytes: Int?
    public var jpegQuality: Int?
    public var retries: Int?
    public var retryMaxWait: Double?
    public var stallTimeout: Double?
    public var caBundle: String?
    public var batchMaxRequests: Int?
    public var batchMaxEnqueuedTokens: Int?
    public var batchMaxBytes: Int?
    public var clientCert: String?
    public var clientKey: String?
    public var schemaSupport: Bool?
    public var pdf: DocumentRoute?
    public var video: VideoRoute?
    public var maxAnswerBytes: Int?
    public var maxSavedImages: Int?
    public var keyRequired: Bool?
    public var region: String?
    public var project: String?
    public var awsProfile: String?
    public var apiVersion: String?
    public var detectCoordinates: String?
    public var qwenMinPixels: Int?
    public var qwenMaxPixels: Int?
    public var imagesAPI: Bool?
    public var imageModel: String?

    public init() {}

    /// Every key a profile section may contain.
    public static let knownKeys = [
        "api", "base_url", "path", "model", "key_env", "key_cmd", "key", "auth",
        "headers", "max_images", "image_urls", "max_tokens_field", "stream_usage",
        "modalities", "poll_interval", "poll_timeout", "max_side", "max_pixels",
        "max_image_bytes", "max_request_bytes", "jpeg_quality", "retries", "retry_max_wait",
        "stall_timeout", "ca_bundle", "client_cert", "client_key",
        "batch_max_requests", "batch_max_bytes", "batch_max_enqueued_tokens", "schema_support", "pdf", "video",
        "region", "location", "project", "aws_profile", "api_version", "max_answer_bytes", "max_saved_images", "key_required",
        "detect_coordinates", "qwen_min_pixels", "qwen_max_pixels",
        "images", "image_model",
    ]

    /// Whether the section says where a key comes from (`key_env`, `key_cmd` or `key`).
    public var namesAKey: Bool { keyEnv != nil || keyCmd != nil || key != nil }

    /// Applies these settings over `profile`.
    public func apply(to profile: inout Profile) {
        if let api { profile.api = api }
        if let baseURL { profile.baseURL = baseURL }
        if let path { profile.path = path }
        if let model { profile.model = model }
        // A key source written in the config replaces the built-in key_env unless key_env is written too.
        if (keyCmd != nil || key != nil) && keyEnv == nil { profile.keyEnv = nil }
        if let keyEnv {
            profile.keyEnv = keyEnv
            profile.keyRequired = true
        }
        if let keyCmd {
            profile.keyCmd = keyCmd
            profile.keyRequired = true
        }
        if let key {
            profile.key = key
            profile.keyRequired = true
        }
        if let auth { profile.auth = auth }
        if let headers { profile.headers.merge(headers) { _, new in new } }
        if let maxImages { profile.maxImages = maxImages }
        if let imageURLs { profile.imageURLs = imageURLs }
        if let maxTokensField { profile.maxTokensField = maxTokensField }
        if let streamUsage { profile.streamUsage = streamUsage }
        if let modalities { profile.modalities = modalities }
        if let pollInterval { profile.pollInterval = pollInterval }
        if let pollTimeout { profile.pollTimeout = pollTimeout }
        // 0 turns a size limit off.
        if let maxSide { profile.maxSide = maxSide == 0 ? nil : maxSide }
        if let maxPixels { profile.maxPixels = maxPixels == 0 ? nil : maxPixels }
        if let maxImageBytes { profile.maxImageBytes = maxImageBytes == 0 ? nil : maxImageBytes }
        if let maxRequestBytes { profile.maxRequestBytes = maxRequestBytes == 0 ? nil : maxRequestBytes }
        if let jpegQuality { profile.jpegQuality = jpegQuality }
        if let retries { profile.retries = retries }
        if let retryMaxWait { profile.retryMaxWait = retryMaxWait }
        if let stallTimeout { profile.stallTimeout = stallTimeout }
        if let caBundle { profile.caBundle = caBundle }
        if let batchMaxRequests { profile.batchMaxRequests = batchMaxRequests }
        if let batchMaxEnqueuedTokens { profile.batchMaxEnqueuedTokens = batchMaxEnqueuedTokens }
        if let batchMaxBytes { profile.batchMaxBytes = batchMaxBytes }
        if let clientCert { profile.clientCert = clientCert }
        if let clientKey { profile.clientKey = clientKey }
        if let schemaSupport { profile.schemaSupport = schemaSupport }
        if let detectCoordinates { profile.detectCoordinates = detectCoordinates }
        if let qwenMinPixels { profile.qwenMinPixels = qwenMinPixels }
        if let qwenMaxPixels { profile.qwenMaxPixels = qwenMaxPixels }
        if let pdf { profile.pdf = pdf }
        if let video { profile.video = video }
        if let maxAnswerBytes { profile.limits.maxAnswerBytes = maxAnswerBytes }
        if let maxSavedImages { profile.limits.maxSavedImages = maxSavedImages }
        if let keyRequired { profile.keyRequired = keyRequired }
        if let region { profile.region = region }
        if let project { profile.project = project }
        if let awsProfile { profile.awsProfile = awsProfile }
        if let apiVersion { profile.apiVersion = apiVersion }
        if let imagesAPI { profile.imagesAPI = imagesAPI }
        if let imageModel { profile.imageModel = imageModel }
    }

    /// Reads a TOML section; `fail(message, key)` builds the error (the caller knows file and line).
    static func parse(
        _ table: TOMLTable, profile: String,
        fail: (String, String?) -> VQError
    ) throws(VQError) -> ProfileSettings {
        var settings = ProfileSettings()
        func string(_ key: String, _ value: TOMLValueConvertible) throws(VQError) -> String {
            guard let text = value.string else { throw fail("\(key) must be a string", key) }
            return text
        }
        for (key, value) in table {
            switch key {
            case "api":
                let name = try string(key, value)
                guard let api = APIKind(rawValue: name) else {
                    throw fail("unknown api '\(name)' (known: \(APIKind.allCases.map(\.rawValue).joined(separator: ", ")))", key)
                }
                settings.api = api
            case "base_url":
                let url = try string(key, value)
                guard url.hasPrefix("https://") || url.hasPrefix("http://") || url.hasPrefix("unix:///") else {
                    throw fail("base_url must start with https://, http:// or unix:/// (a socket path) (got '\(url)')", key)
                }
                settings.baseURL = url
            case "path": settings.path = try string(key, value)
            case "region", "location": settings.region = try string(key, value)  // AWS says region, Google location
            case "project": settings.project = try string(key, value)
            case "aws_profile": settings.awsProfile = try string(key, value)
            case "api_version": settings.apiVersion = try string(key, value)
            case "ca_bundle": settings.caBundle = try string(key, value)
            case "batch_max_requests", "batch_max_bytes", "batch_max_enqueued_tokens":
                guard let count = value.int, count > 0 else { throw fail("\(key) must be a positive whole number", key) }
                switch key {
                case "batch_max_requests": settings.batchMaxRequests = count
                case "batch_max_bytes": settings.batchMaxBytes = count
                default: settings.batchMaxEnqueuedTokens = count
                }
            case "client_cert": settings.clientCert = try string(key, value)
            case "client_key": settings.clientKey = try string(key, value)
            case "model": settings.model = try string(key, value)
            case "key_env": settings.keyEnv = try string(key, value)
            case "key_cmd": settings.keyCmd = try string(key, value)
            case "key":
                let text = try string(key, value)
                guard HeaderValidation.isValidValue(text) else { throw fail("key contains a line break or NUL, which would inject a header", key) }
                settings.key = text
            case "auth":
                let header = try string(key, value)
                guard HeaderValidation.isValidName(header) else { throw fail("auth must be a header name (got '\(header)')", key) }
                settings.auth = header
            case "max_tokens_field": settings.maxTokensField = try string(key, value)
            case "headers":
                guard let headers = value.table else { throw fail("headers must be a table, e.g. headers = { \"X-Title\" = \"vq\" }", key) }
                var result: [String: String] = [:]
                for (name, headerValue) in headers {
                    guard HeaderValidation.isValidName(name) else { throw fail("'\(name)' is not a valid header name", key) }
                    guard let text = headerValue.string else { throw fail("header '\(name)' must be a string", key) }
                    guard HeaderValidation.isValidValue(text) else {
                        throw fail("the value of header '\(name)' contains a line break or NUL, which would inject a header", key)
                    }
                    result[name] = text
                }
                settings.headers = result
            case "max_answer_bytes", "max_saved_images":
                guard let count = value.int, count > 0 else { throw fail("\(key) must be a positive whole number", key) }
                if key == "max_answer_bytes" { settings.maxAnswerBytes = count } else { settings.maxSavedImages = count }
            case "key_required":
                guard let flag = value.bool else { throw fail("key_required must be true or false", key) }
                settings.keyRequired = flag
            case "max_images":
                guard let count = value.int, count > 0 else { throw fail("max_images must be a positive integer", key) }
                settings.maxImages = count
            case "image_urls":
                let mode = try string(key, value)
                guard let parsed = ImageURLMode(rawValue: mode) else { throw fail("image_urls must be \"pass\" or \"inline\" (got '\(mode)')", key) }
                settings.imageURLs = parsed
            case "detect_coordinates":
                let name = try string(key, value)
                guard CoordinateConvention.named(name) != nil else {
                    let names = CoordinateConvention.all.map(\.name).joined(separator: ", ")
                    throw fail("detect_coordinates must be one of \(names) (got '\(name)')", key)
                }
                settings.detectCoordinates = name
            case "qwen_min_pixels", "qwen_max_pixels":
                guard let count = value.int, count >= 28 * 28 else { throw fail("\(key) must be a whole number of pixels, at least 784 (28x28)", key) }
                if key == "qwen_min_pixels" { settings.qwenMinPixels = count } else { settings.qwenMaxPixels = count }
            case "pdf":
                let route = try string(key, value)
                guard let parsed = DocumentRoute(rawValue: route) else { throw fail("pdf must be \"native\" or \"render\" (got '\(route)')", key) }
                settings.pdf = parsed
            case "video":
                let route = try string(key, value)
                guard let parsed = VideoRoute(rawValue: route) else {
                    throw fail("video must be \"native\", \"frames\" or \"video_url\" (got '\(route)')", key)
                }
                settings.video = parsed
            case "images":
                guard let flag = value.bool else { throw fail("images must be true or false", key) }
                settings.imagesAPI = flag
            case "image_model": settings.imageModel = try string(key, value)
            case "schema_support":
                guard let flag = value.bool else { throw fail("schema_support must be true or false", key) }
                settings.schemaSupport = flag
            case "stream_usage":
                guard let flag = value.bool else { throw fail("stream_usage must be true or false", key) }
                settings.streamUsage = flag
            case "modalities":
                guard let array = value.array else { throw fail("modalities must be a list, e.g. modalities = [\"text\", \"image\"]", key) }
                var list: [String] = []
                for item in array {
                    guard let name = item.string, Modalities.known.contains(name) else {
                        throw fail("modalities may contain only \(Modalities.known.map { "\"\($0)\"" }.joined(separator: ", "))", key)
                    }
                    list.append(name)
                }
                settings.modalities = list
            case "poll_interval", "poll_timeout":
                guard let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds.isFinite else {
                    throw fail("\(key) must be a positive number of seconds", key)
                }
                if key == "poll_interval" { settings.pollInterval = seconds } else { settings.pollTimeout = seconds }
            case "max_side", "max_pixels", "max_image_bytes", "max_request_bytes":
                guard let count = value.int, count >= 0 else { throw fail("\(key) must be a whole number (0 turns the limit off)", key) }
                switch key {
                case "max_side": settings.maxSide = count
                case "max_pixels": settings.maxPixels = count
                case "max_image_bytes": settings.maxImageBytes = count
                default: settings.maxRequestBytes = count
                }
            case "jpeg_quality":
                guard let quality = value.int, (1...100).contains(quality) else { throw fail("jpeg_quality must be a whole number from 1 to 100", key) }
                settings.jpegQuality = quality
            case "retries":
                guard let count = value.int, (0...20).contains(count) else { throw fail("retries must be a whole number from 0 to 20", key) }
                settings.retries = count
            case "retry_max_wait", "stall_timeout":
                guard let seconds = value.double ?? value.int.map(Double.init), seconds > 0, seconds.isFinite else {
                    throw fail("\(key) must be a positive number of seconds", key)
                }
                if key == "retry_max_wait" { settings.retryMaxWait = seconds } else { settings.stallTimeout = seconds }
            default:
                let hint = Suggestion.closest(to: key, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw fail("unknown key '\(key)'\(hint)", key)
            }
        }
        return settings
    }
}
