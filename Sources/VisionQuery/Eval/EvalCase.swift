import FoundationEssentials
import Platform

/// One line of a `vq eval` cases file: an id, images (or documents), a prompt or template, and the expectation.
///
///     {"id":"meter-1","images":["meter.jpg"],"prompt":"Read the meter","expect":{"numeric":1234.5,"tolerance":0.5}}
public struct EvalCase: Equatable, Sendable {
    public var id: String
    /// Paths (relative to the cases file) or URLs.
    public var images: [String]
    public var prompt: String?
    /// A `[templates.NAME]` section to ask with.
    public var template: String?
    public var expectation: EvalExpectation

    public init(id: String, images: [String], prompt: String?, template: String?, expectation: EvalExpectation) {
        self.id = id
        self.images = images
        self.prompt = prompt
        self.template = template
        self.expectation = expectation
    }

    /// The expectation kinds, as `expect` objects name them.
    public static let kinds = ["exact", "contains", "regex", "numeric", "schema", "fields", "judge"]

    /// Parses one line; `fail(message)` builds the error (the caller knows the file and line). `number` is the
    /// default id.
    static func parse(_ line: String, number: Int, fail: (String) -> VQError) throws(VQError) -> EvalCase {
        let value: OrderedJSON
        do {
            value = try OrderedJSON.parse(line)
        } catch {
            throw fail("not JSON (\(error.message) at byte \(error.offset))")
        }
        guard case .object(let members) = value else { throw fail("each line must be a JSON object") }
        let known = ["id", "images", "image", "prompt", "template", "expect"]
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            let hint = Suggestion.closest(to: unknown.key, among: known).map { "; did you mean '\($0)'?" } ?? ""
            throw fail("unknown key '\(unknown.key)'\(hint)")
        }
        var id = String(number)
        switch value["id"] {
        case .string(let text)?: id = text
        case .number(let text)?: id = text
        case nil: break
        default: throw fail("id must be a string or a number")
        }
        var images: [String] = []
        if case .string(let one)? = value["image"] { images = [one] }
        if let list = value["images"] {
            guard case .array(let items) = list else { throw fail("images must be a list of paths or URLs") }
            for item in items {
                guard case .string(let path) = item else { throw fail("images must be a list of paths or URLs") }
                images.append(path)
            }
        }
        let prompt: String? = if case .string(let text)? = value["prompt"] { text } else { nil }
        let template: String? = if case .string(let text)? = value["template"] { text } else { nil }
        guard prompt != nil || template != nil else { throw fail("needs a prompt or a template") }
        guard case .object(let expect)? = value["expect"], let first = expect.first else {
            throw fail("needs \"expect\": an object with one of \(kinds.joined(separator: ", "))")
        }
        return EvalCase(id: id, images: images, prompt: prompt, template: template, expectation: try expectation(expect, first.key, fail: fail))
    }

    private static func expectation(
        _ expect: [(key: String, value: OrderedJSON)], _ kind: String, fail: (String) -> VQError
    ) throws(VQError) -> EvalExpectation {
        let object = OrderedJSON.object(expect)
        func text(_ value: OrderedJSON?) throws(VQError) -> String {
            guard case .string(let text)? = value else { throw fail("expect.\(kind) must be a string") }
            return text
        }
        switch kind {
        case "exact":
            return .exact(try text(object["exact"]), ignoreCase: object["ignore_case"] == .bool(true))
        case "contains":
            if case .array(let items)? = object["contains"] {
                var texts: [String] = []
                for item in items { texts.append(try text(item)) }
                return .contains(texts)
            }
            return .contains([try text(object["contains"])])
        case "regex":
            let pattern = try text(object["regex"])
            guard (try? Regex(pattern)) != nil else { throw fail("expect.regex is not a valid regular expression: \(pattern)") }
            return .regex(pattern)
        case "numeric":
            guard case .number(let value)? = object["numeric"], let number = Double(value) else { throw fail("expect.numeric must be a number") }
            var tolerance = 0.0
            if let given = object["tolerance"] {
                guard case .number(let text) = given, let value = Double(text), value >= 0 else { throw fail("expect.tolerance must be a number, 0 or more") }
                tolerance = value
            }
            return .numeric(number, tolerance: tolerance)
        case "schema":
            guard let schema = object["schema"] else { throw fail("expect.schema is missing") }
            let argument: String = if case .string(let concise) = schema { concise } else { schema.text }
            do throws(VQError) {
                return .schema(try AnswerSchema.load(argument, origin: "expect.schema", fileExists: { _ in false }))
            } catch {
                throw fail(error.message)
            }
        case "fields":
            guard case .object(let fields)? = object["fields"], !fields.isEmpty else { throw fail("expect.fields must be an object of field values") }
            return .fields(fields)
        case "judge":
            return .judge(try text(object["judge"]))
        default:
            let hint = Suggestion.closest(to: kind, among: kinds).map { "; did you mean '\($0)'?" } ?? ""
            throw fail("unknown expectation '\(kind)'\(hint) (expected one of \(kinds.joined(separator: ", ")))")
        }
    }
}
