import FoundationEssentials
import Platform

/// Checks a JSON value against a `SchemaNode` and reports the first violation with its path (`$.tags[2]`).
public enum SchemaValidator {
    /// The first violation, or nil when `value` conforms.
    public static func firstViolation(_ value: OrderedJSON, against node: SchemaNode, path: String = "$") -> String? {
        if !node.types.isEmpty {
            let actual = value.typeName
            let fits = node.types.contains { kind in
                kind.rawValue == actual || (kind == .number && actual == "integer")
            }
            guard fits else {
                return "\(path): expected \(node.types.map(\.rawValue).joined(separator: " or ")), got \(actual) \(excerpt(value))"
            }
        }
        if let allowed = node.enumValues, !allowed.contains(value) {
            return "\(path): \(excerpt(value)) is not one of \(allowed.map(\.text).joined(separator: ", "))"
        }
        switch value {
        case .object(let members):
            for name in node.required where !members.contains(where: { $0.key == name }) {
                return "\(path): missing required property '\(name)'"
            }
            for member in members {
                if let property = node.properties.first(where: { $0.name == member.key }) {
                    if let violation = firstViolation(member.value, against: property.node, path: "\(path).\(member.key)") { return violation }
                } else if !node.additionalProperties {
                    return "\(path): unexpected property '\(member.key)'"
                }
            }
        case .array(let items):
            if let minimum = node.minItems, items.count < minimum { return "\(path): \(items.count) item(s), at least \(minimum) required" }
            if let maximum = node.maxItems, items.count > maximum { return "\(path): \(items.count) item(s), at most \(maximum) allowed" }
            if let schema = node.items.first {
                for (index, item) in items.enumerated() {
                    if let violation = firstViolation(item, against: schema, path: "\(path)[\(index)]") { return violation }
                }
            }
        case .string(let text):
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum { return "\(path): \(length) character(s), at least \(minimum) required" }
            if let maximum = node.maxLength, length > maximum { return "\(path): \(length) character(s), at most \(maximum) allowed" }
        case .number(let text):
            let number = Double(text) ?? .nan
            if let minimum = node.minimum, !(number >= minimum) { return "\(path): \(text) is below the minimum \(SchemaNode.numberText(minimum))" }
            if let maximum = node.maximum, !(number <= maximum) { return "\(path): \(text) is above the maximum \(SchemaNode.numberText(maximum))" }
        case .null, .bool:
            break
        }
        return nil
    }

    /// A short rendering of a value for messages.
    static func excerpt(_ value: OrderedJSON) -> String {
        let text = value.text
        return text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}
