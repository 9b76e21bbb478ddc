import FoundationEssentials
import TOMLKit

/// One `[prices."MODEL"]` section of the config: figures that replace the bundled table's for MODEL (on every
/// service, or one service's when the name is `SERVICE/MODEL`), in USD per million tokens (per image for
/// `output_per_image`, and for `per_image`, a table of an image maker's prices by `"QUALITY/SIZE"` or `"SIZE"`:
/// `per_image = { "low/1024x1024" = 0.011, "high/1536x1024" = 0.25 }`).
public struct PriceSettings: Equatable, Sendable {
    public var input: Double?
    public var cachedInput: Double?
    public var output: Double?
    public var batchInput: Double?
    public var batchOutput: Double?
    public var outputPerImage: Double?
    public var perImage: [String: Double]?

    public init() {}

    /// Every key a price section may contain.
    public static let knownKeys = ["input", "cached_input", "output", "batch_input", "batch_output", "output_per_image", "per_image"]

    /// `base` with the figures this section gives; without a base, input and output must both be given.
    func applied(to base: ModelPrice?, service: String, model: String) -> ModelPrice? {
        guard let input = input ?? base?.input, let output = output ?? base?.output else { return nil }
        return ModelPrice(
            service: service, model: model, input: input, cachedInput: cachedInput ?? base?.cachedInput, output: output,
            batchInput: batchInput ?? base?.batchInput, batchOutput: batchOutput ?? base?.batchOutput,
            outputPerImage: outputPerImage ?? base?.outputPerImage, perImage: (base?.perImage ?? [:]).merging(perImage ?? [:]) { _, given in given })
    }

    /// Reads a TOML section; `fail(message, key)` builds the error (the caller knows file and line).
    static func parse(_ table: TOMLTable, fail: (String, String?) -> VQError) throws(VQError) -> PriceSettings {
        var settings = PriceSettings()
        for (key, value) in table {
            guard knownKeys.contains(key) else {
                let hint = Suggestion.closest(to: key, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                throw fail("unknown key '\(key)'\(hint) (prices are USD per million tokens: \(knownKeys.joined(separator: ", ")))", key)
            }
            if key == "per_image" {
                settings.perImage = try perImage(value, fail: fail)
                continue
            }
            guard let number = value.double ?? value.int.map(Double.init), number >= 0, number.isFinite else {
                throw fail("\(key) must be a number of US dollars, 0 or more", key)
            }
            switch key {
            case "input": settings.input = number
            case "cached_input": settings.cachedInput = number
            case "output": settings.output = number
            case "batch_input": settings.batchInput = number
            case "batch_output": settings.batchOutput = number
            default: settings.outputPerImage = number
            }
        }
        return settings
    }

    /// `per_image = { "low/1024x1024" = 0.011, "512x512" = 0.018 }`: USD per image by quality and size, or size.
    static func perImage(_ value: TOMLValueConvertible, fail: (String, String?) -> VQError) throws(VQError) -> [String: Double] {
        let expected = "per_image must be a table of USD per image by \"QUALITY/WIDTHxHEIGHT\" or \"WIDTHxHEIGHT\", e.g. { \"low/1024x1024\" = 0.011 }"
        guard let table = value.table else { throw fail(expected, "per_image") }
        var prices: [String: Double] = [:]
        for (key, value) in table {
            let size = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            guard key.split(separator: "/", omittingEmptySubsequences: false).count <= 2, !key.hasPrefix("/"), PixelDimensions(parsing: size) != nil,
                let number = value.double ?? value.int.map(Double.init), number >= 0, number.isFinite
            else { throw fail("'\(key)': \(expected)", "per_image") }
            prices[key.lowercased()] = number
        }
        return prices
    }

    /// The `[prices."MODEL"]` sections of a config file; errors are `.config` naming the file and line.
    static func parseAll(
        _ value: TOMLValueConvertible, path: String, locator: ConfigLineLocator
    ) throws(VQError) -> [(model: String, settings: PriceSettings)] {
        guard let table = value.table else {
            throw VQError(.config, "\(path):\(locator.line(ofKey: "prices", inSection: nil)): prices must be a table of [prices.\"MODEL\"] sections")
        }
        var prices: [(model: String, settings: PriceSettings)] = []
        for (model, body) in table {
            guard let section = body.table else {
                throw VQError(.config, "\(path):\(locator.line(ofSection: model, table: "prices")): prices.\"\(model)\" must be a table")
            }
            let settings = try parse(section) { message, key in
                let line = key.map { locator.line(ofKey: $0, inSection: model, table: "prices") } ?? locator.line(ofSection: model, table: "prices")
                return VQError(.config, "\(path):\(line): price of '\(model)': \(message)")
            }
            prices.append((model, settings))
        }
        return prices
    }
}
