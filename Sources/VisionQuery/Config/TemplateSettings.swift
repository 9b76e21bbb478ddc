import FoundationEssentials
import TOMLKit

/// One `[templates.NAME]` section: a saved question (`prompt`, `system`, `schema`) with the profile, model and
/// options to ask it with. Keys are the long option names with `_` for `-`. Command-line options win.
public struct TemplateSettings: Equatable, Sendable {
    public var prompt: String?
    public var system: String?
    public var schema: String?
    public var profile: String?
    public var model: String?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var stop: [String]?
    public var detail: ImageDetail?
    public var modalities: [String]?
    public var maxSide: Int?
    public var maxPixels: Int?
    public var quality: Int?
    public var timeout: Double?
    public var stallTimeout: Double?
    public var retries: Int?
    public var retryMaxWait: Double?

    public init() {}

    /// Every key a template section may contain.
    public static let knownKeys = [
        "prompt", "system", "schema", "profile", "model", "temperature", "top_p", "max_tokens", "stop",
        "detail", "modalities", "max_side", "max_pixels", "quality", "timeout", "stall_timeout",
        "retries", "retry_max_wait",
    ]

    /// `options` with every option it leaves unset taken from the template (the prompt is the caller's).
    public func filling(_ options: QueryOptions) -> QueryOptions {
        var options = options
        options.system = options.system ?? system
        options.schema = options.schema ?? schema
        options.profile = options.profile ?? profile
        options.model = options.model ?? model
        options.temperature = options.temperature ?? temperature
        options.topP = options.topP ?? topP
        options.maxTokens = options.maxTokens ?? maxTokens
        if options.stop.isEmpty, let stop { options.stop = stop }
        options.detail = options.detail ?? detail
        options.modalities = options.modalities ?? modalities
        options.maxSide = options.maxSide ?? maxSide
        options.maxPixels = options.maxPixels ?? maxPixels
        options.quality = options.quality ?? quality
        options.timeout = options.timeout ?? timeout
        options.stallTimeout = options.stallTimeout ?? stallTimeout
        options.retries = options.retries ?? retries
        options.retryMaxWait = options.retryMaxWait ?? retryMaxWait
        return options
    }

    /// Reads a TOML section; `fail(message, key)` builds the error (the caller knows file and line). Values are held
    /// to the ranges their options accept.
    static func parse(_ table: TOMLTable, fail: (String, String?) -> VQError) throws(VQError) -> TemplateSettings {
        var settings = TemplateSettings()
        func string(_ key: String, _ value: TOMLValueConvertible) throws(VQError) -> String {
            guard let text = value.string else { throw fail("\(key) must be a string", key) }
            return text
        }
        func number(_ key: String, _ value: TOMLValueConvertible, _ range: ClosedRange<Double>) throws(VQError) -> Double {
            guard let number = value.double ?? value.int.map(Double.init), range.contains(number) else {
                throw fail("\(key) must be a number from \(SchemaNode.numberText(range.lowerBound)) to \(SchemaNode.numberText(range.upperBound))", key)
            }
            return number
        }
        func whole(_ key: String, _ value: TOMLValueConvertible, _ range: ClosedRange<Int>) throws(VQError) -> Int {
            guard let count = value.int, range.contains(count) else {
                throw fail("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)", key)
            }
            return count
        }
        func strings(_ key: String, _ value: TOMLValueConvertible) throws(VQError) -> [String] {
            guard let array = value.array else { throw fail("\(key) must be a list of strings", key) }
            var list: [String] = []
            for item in array {
                guard let text = item.string else { throw fail("\(key) must be a list of strings", key) }
                list.append(text)
            }
            return list
        }
        for (key, value) in table {
            switch key {
            case "prompt": settings.prompt = try string(key, value)
            case "system": settings.system = try string(key, value)
            case "schema": settings.schema = try string(key, value)
            case "profile": settings.profile = try string(key, value)
            case "model": settings.model = try string(key, value)
            case "temperature": settings.temperature = try number(key, value, 0...2)
            case "top_p": settings.topP = try number(key, value, 0...1)
            case "max_tokens": settings.maxTokens = try whole(key, value, 1...10_000_000)
            case "stop": settings.stop = try strings(key, value)
            case "detail":
                let text = try string(key, value)
                guard let detail = ImageDetail(rawValue: text) else {
                    throw fail("detail must be one of \(ImageDetail.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')", key)
                }
                settings.detail = detail
            case "modalities":
                let list = try strings(key, value)
                guard list.allSatisfy(Modalities.known.contains) else {
                    throw fail("modalities may contain only \(Modalities.known.map { "\"\($0)\"" }.joined(separator: ", "))", key)
                }
                settings.modalities = list
            case "max_side": settings.maxSide = try whole(key, value, 0...100_000)
            case "max_pixels": settings.maxPixels = try whole(key, value, 0...1_000_000_000)
            case "quality": settings.quality = try whole(key, value, 1...100)
            case "timeout": settings.timeout = try number(key, value, 0.001...(86400 * 7))
            case "stall_timeout": settings.stallTimeout = try number(key, value, 0.001...86400)
            case "retries": settings.retries = try whole(key, value, 0...20)
            case "retry_max_wait": settings.retryMaxWait = try number(key, value, 0...86400)
            default:
                let hint = Suggestion.closest(to: key, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw fail("unknown key '\(key)'\(hint)", key)
            }
        }
        return settings
    }
}

extension TemplateSettings {
    /// The `[templates.NAME]` sections of a config file; errors are `.config` naming the file and line.
    static func parseAll(
        _ value: TOMLValueConvertible, path: String, locator: ConfigLineLocator
    ) throws(VQError) -> [(name: String, settings: TemplateSettings)] {
        guard let table = value.table else {
            throw VQError(.config, "\(path):\(locator.line(ofKey: "templates", inSection: nil)): templates must be a table of [templates.NAME] sections")
        }
        var templates: [(name: String, settings: TemplateSettings)] = []
        for (name, body) in table {
            guard let section = body.table else {
                throw VQError(.config, "\(path):\(locator.line(ofSection: name, table: "templates")): templates.\(name) must be a table")
            }
            let settings = try parse(section) { message, key in
                let line = key.map { locator.line(ofKey: $0, inSection: name, table: "templates") } ?? locator.line(ofSection: name, table: "templates")
                return VQError(.config, "\(path):\(line): template '\(name)': \(message)")
            }
            templates.append((name, settings))
        }
        return templates
    }
}
