import FoundationEssentials
import Platform
import TextFormatting
import VisionQuery

/// `vq prices [MODEL]`: the price table vq counts cost with (bundled, dated; config sections on top), filtered by
/// MODEL; exit 1 when nothing matches.
struct PricesCommand {
    let model: String?
    let configFlag: String?
    let json: Bool
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) -> Int32 {
        let config = try ConfigLocator.load(flag: configFlag, environment: environment)
        let table = PriceTable.forConfig(config)
        let quotes = table.listing(filter: model)
        if json {
            let list: [[String: Any]] = quotes.map { quote in
                let price = quote.price
                return [
                    "service": price.service.isEmpty ? JSONNull() : price.service, "model": price.model, "input": price.input,
                    "cached_input": price.cachedInput ?? JSONNull(), "output": price.output, "batch_input": price.batchInput ?? JSONNull(),
                    "batch_output": price.batchOutput ?? JSONNull(), "output_per_image": price.outputPerImage ?? JSONNull(), "per_image": price.perImage,
                    "from": quote.origin, "date_or_path": quote.detail,
                ]
            }
            console.out(JSONText.render(list, pretty: true) + "\n")
        } else if !quotes.isEmpty {
            func figure(_ value: Double?) -> String { value.map { Cost.dollars($0).replacingScalars("$", with: "") } ?? "-" }
            // An image maker priced by quality and size shows its range ("0.011-0.25").
            func perImage(_ price: ModelPrice) -> String {
                guard let low = price.perImage.values.min(), let high = price.perImage.values.max() else { return figure(price.outputPerImage) }
                return low == high ? figure(low) : "\(figure(low))-\(figure(high))"
            }
            let header = ["SERVICE", "MODEL", "INPUT", "CACHED", "OUTPUT", "BATCH IN", "BATCH OUT", "PER IMAGE", "FROM"]
            let rows = quotes.map { quote in
                let price = quote.price
                return [
                    price.service.isEmpty ? "*" : price.service, price.model, figure(price.input), figure(price.cachedInput), figure(price.output),
                    figure(price.batchInput), figure(price.batchOutput), perImage(price), quote.origin == "config" ? "config" : "bundled",
                ]
            }
            console.out(TextTable.render([header] + rows))
            console.notice(
                "USD per million tokens (per image: USD each); bundled: \(table.source), dated \(table.date)"
                    + (table.overridePath.map { "; config: \($0)" } ?? ""))
        }
        guard !quotes.isEmpty else {
            console.error("no price for a model matching '\(model ?? "")' (add [prices.\"\(model ?? "MODEL")\"] with input and output to the config)")
            return ExitCode.partialFailure.rawValue
        }
        return ExitCode.success.rawValue
    }
}
