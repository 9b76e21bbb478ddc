import FoundationEssentials
import Platform
import TextFormatting

/// What a case's answer must be for it to pass: one of the kinds `vq eval` scores without a model, or a judge's
/// criteria for open answers.
public enum EvalExpectation: Equatable, Sendable {
    /// The whole answer, surrounding white space ignored (and letter case with `ignore_case`).
    case exact(String, ignoreCase: Bool)
    /// Every one of these texts somewhere in the answer, letter case ignored.
    case contains([String])
    /// The regular expression (ICU syntax) matches somewhere in the answer.
    case regex(String)
    /// The first number in the answer is within `tolerance` of `value`.
    case numeric(Double, tolerance: Double)
    /// The answer is a JSON object following the schema (as `--schema` takes it).
    case schema(AnswerSchema)
    /// The answer is a JSON object with these fields at these values (other fields allowed; numbers compared as numbers,
    /// strings with letter case and surrounding space ignored).
    case fields([(key: String, value: OrderedJSON)])
    /// A judge profile decides, given these criteria.
    case judge(String)

    public static func == (lhs: EvalExpectation, rhs: EvalExpectation) -> Bool {
        switch (lhs, rhs) {
        case (.exact(let a, let x), .exact(let b, let y)): a == b && x == y
        case (.contains(let a), .contains(let b)): a == b
        case (.regex(let a), .regex(let b)): a == b
        case (.numeric(let a, let x), .numeric(let b, let y)): a == b && x == y
        case (.schema(let a), .schema(let b)): a == b
        case (.fields(let a), .fields(let b)): OrderedJSON.object(a) == OrderedJSON.object(b)
        case (.judge(let a), .judge(let b)): a == b
        default: false
        }
    }

    /// The kind's name, as cases spell it and results report it.
    public var kind: String {
        switch self {
        case .exact: "exact"
        case .contains: "contains"
        case .regex: "regex"
        case .numeric: "numeric"
        case .schema: "schema"
        case .fields: "fields"
        case .judge: "judge"
        }
    }

    /// Whether `answer` passes, and why not. A judge expectation cannot be scored here (see `EvalJudge`).
    public func verdict(for answer: String) -> EvalVerdict {
        let trimmed = answer.trimmingWhitespaceAndNewlines()
        switch self {
        case .exact(let expected, let ignoreCase):
            let expected = expected.trimmingWhitespaceAndNewlines()
            let same = ignoreCase ? trimmed.equalsIgnoringCase(expected) : trimmed == expected
            return same ? .pass : .fail("expected exactly \(Self.quoted(expected))")
        case .contains(let needles):
            let missing = needles.filter { answer.range(ofCaseInsensitive: $0) == nil }
            return missing.isEmpty ? .pass : .fail("does not contain \(missing.map(Self.quoted).joined(separator: ", "))")
        case .regex(let pattern):
            return (try? Regex(pattern)).map { answer.contains($0) } == true ? .pass : .fail("does not match /\(pattern)/")
        case .numeric(let expected, let tolerance):
            guard let number = Self.firstNumber(in: answer) else { return .fail("no number in the answer (expected \(Self.number(expected)))") }
            return abs(number - expected) <= tolerance
                ? .pass : .fail("\(Self.number(number)) is not within \(Self.number(tolerance)) of \(Self.number(expected))")
        case .schema(let schema):
            do throws(VQError) {
                _ = try StructuredAnswer.check(answer, against: schema)
                return .pass
            } catch {
                return .fail(error.message)
            }
        case .fields(let fields):
            guard let object = try? OrderedJSON.parse(StructuredAnswer.unfenced(answer)), case .object = object else {
                return .fail("the answer is not a JSON object")
            }
            for (key, expected) in fields {
                guard let found = object[key] else { return .fail("field '\(key)' is missing") }
                guard Self.matches(found, expected) else { return .fail("field '\(key)' is \(found.text), expected \(expected.text)") }
            }
            return .pass
        case .judge:
            preconditionFailure("a judge expectation is scored by EvalJudge")
        }
    }

    /// Numbers as numbers, strings without regard to letter case and surrounding space, the rest exactly.
    static func matches(_ found: OrderedJSON, _ expected: OrderedJSON) -> Bool {
        switch (found, expected) {
        case (.string(let a), .string(let b)):
            a.trimmingWhitespaceAndNewlines().equalsIgnoringCase(b.trimmingWhitespaceAndNewlines())
        default: found == expected
        }
    }

    /// The first decimal number in `text` (`-3`, `1,234.5`, `0.25`); thousands separators are dropped.
    static func firstNumber(in text: String) -> Double? {
        guard let range = text.firstMatch(of: #/-?\d{1,3}(,\d{3})+(\.\d+)?|-?\d+(\.\d+)?/#)?.range else { return nil }
        return Double(text[range].replacingScalars(",", with: ""))
    }

    static func number(_ value: Double) -> String { SchemaNode.numberText(value) }

    static func quoted(_ text: String) -> String { "\"" + (text.count > 60 ? String(text.prefix(60)) + "..." : text) + "\"" }
}

/// Whether an answer passed, and why not.
public enum EvalVerdict: Equatable, Sendable {
    case pass
    case fail(String)

    public var passed: Bool { self == .pass }
    public var reason: String? { if case .fail(let reason) = self { reason } else { nil } }
}
