import FoundationEssentials
import Platform
import TextFormatting

/// Turns a model's answer text into the JSON object the schema asks for: a code fence around it is removed, the
/// text parsed, the value checked. Anything else is a `.nonConforming` error (exit 76) naming the first violation.
public enum StructuredAnswer {
    /// The checked object.
    public static func check(_ text: String, against schema: AnswerSchema) throws(VQError) -> OrderedJSON {
        let body = unfenced(text)
        if body.isEmpty { throw VQError(.nonConforming, "the answer is empty, not a JSON object for --schema") }
        let value: OrderedJSON
        do {
            value = try OrderedJSON.parse(body)
        } catch {
            let start = body.prefix(60).replacingScalars("\n", with: " ")
            throw VQError(.nonConforming, "the answer is not JSON (\(error.message) at byte \(error.offset)): \(start)\(body.count > 60 ? "..." : "")")
        }
        if let violation = SchemaValidator.firstViolation(value, against: schema.root) {
            throw VQError(.nonConforming, "the answer breaks the schema: \(violation)")
        }
        return value
    }

    /// The text inside a Markdown code fence (```json … ```), when the whole answer is one; else the trimmed text.
    static func unfenced(_ text: String) -> String {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count >= 6,
            let firstBreak = trimmed.firstIndex(of: "\n")
        else { return trimmed }
        let inner = trimmed[trimmed.index(after: firstBreak)..<trimmed.index(trimmed.endIndex, offsetBy: -3)]
        return inner.trimmingWhitespaceAndNewlines()
    }
}
