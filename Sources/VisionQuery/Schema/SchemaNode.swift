import FoundationEssentials
import Platform

/// One level of a JSON Schema in the subset vq checks: `type` (one or a list), `properties`, `required`, `items`,
/// `enum`, `additionalProperties` (true or false), `minimum`/`maximum`, `minLength`/`maxLength`,
/// `minItems`/`maxItems`, and the annotations `description`, `title`, `$schema`. Anything else is refused
/// before sending, so vq never claims to have checked what it did not.
public struct SchemaNode: Equatable, Sendable {
    /// JSON Schema's primitive types.
    public enum Kind: String, Sendable, CaseIterable {
        case object, array, string, integer, number, boolean, null
    }

    /// A named property of an object, in the schema's order.
    public struct Property: Equatable, Sendable {
        public var name: String
        public var node: SchemaNode
    }

    /// Allowed types; empty allows any.
    public var types: [Kind] = []
    public var properties: [Property] = []
    public var required: [String] = []
    /// False refuses properties not listed in `properties`.
    public var additionalProperties = true
    /// The schema of array items (zero or one element: an array keeps the recursion indirect).
    public var items: [SchemaNode] = []
    public var enumValues: [OrderedJSON]? = nil
    public var minimum: Double? = nil
    public var maximum: Double? = nil
    public var minLength: Int? = nil
    public var maxLength: Int? = nil
    public var minItems: Int? = nil
    public var maxItems: Int? = nil
    public var description: String? = nil

    public init(types: [Kind] = []) { self.types = types }

    /// The keywords vq understands; the man page and errors list them.
    public static let supportedKeywords = [
        "type", "properties", "required", "items", "enum", "additionalProperties",
        "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems",
        "description", "title", "$schema",
    ]

    /// Whether OpenAI's strict mode accepts this schema as it is: every object lists all its properties as
    /// required and refuses others.
    public var isStrictCompatible: Bool {
        if types.contains(.object) || !properties.isEmpty {
            guard !additionalProperties, Set(required) == Set(properties.map(\.name)) else { return false }
        }
        return properties.allSatisfy(\.node.isStrictCompatible) && items.allSatisfy(\.isStrictCompatible)
    }

    /// The schema as JSON, exactly what vq checks (annotations other than `description` dropped): what is sent.
    public var json: OrderedJSON {
        var members: [(key: String, value: OrderedJSON)] = []
        if types.count == 1 { members.append(("type", .string(types[0].rawValue))) }
        if types.count > 1 { members.append(("type", .array(types.map { .string($0.rawValue) }))) }
        if let description { members.append(("description", .string(description))) }
        if types.contains(.object) || !properties.isEmpty {
            members.append(("properties", .object(properties.map { ($0.name, $0.node.json) })))
            members.append(("required", .array(required.map { .string($0) })))
            members.append(("additionalProperties", .bool(additionalProperties)))
        }
        if let item = items.first { members.append(("items", item.json)) }
        if let enumValues { members.append(("enum", .array(enumValues))) }
        let numbers: [(String, Double?)] = [("minimum", minimum), ("maximum", maximum)]
        for (key, value) in numbers { if let value { members.append((key, .number(Self.numberText(value)))) } }
        let counts: [(String, Int?)] = [("minLength", minLength), ("maxLength", maxLength), ("minItems", minItems), ("maxItems", maxItems)]
        for (key, value) in counts { if let value { members.append((key, .number(String(value)))) } }
        return .object(members)
    }

    static func numberText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension SchemaNode {
    /// Reads a schema object; `path` names where it is (`$.properties.tags`) in errors.
    static func parse(_ value: OrderedJSON, path: String) throws(SchemaError) -> SchemaNode {
        guard case .object(let members) = value else { throw SchemaError("\(path): a schema must be a JSON object") }
        var node = SchemaNode()
        for (key, member) in members {
            switch key {
            case "type":
                let names: [OrderedJSON]
                if case .array(let list) = member { names = list } else { names = [member] }
                for name in names {
                    guard case .string(let text) = name, let kind = Kind(rawValue: text) else {
                        throw SchemaError("\(path): unsupported type \(name.text) (supported: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    node.types.append(kind)
                }
                if node.types.isEmpty { throw SchemaError("\(path): type must name at least one type") }
            case "properties":
                guard case .object(let properties) = member else { throw SchemaError("\(path): properties must be an object") }
                for (name, schema) in properties {
                    node.properties.append(Property(name: name, node: try parse(schema, path: "\(path).properties.\(name)")))
                }
            case "required":
                guard case .array(let names) = member else { throw SchemaError("\(path): required must be a list of property names") }
                for name in names {
                    guard case .string(let text) = name else { throw SchemaError("\(path): required must be a list of property names") }
                    node.required.append(text)
                }
            case "items":
                node.items = [try parse(member, path: "\(path).items")]
            case "enum":
                guard case .array(let values) = member, !values.isEmpty else { throw SchemaError("\(path): enum must be a non-empty list") }
                node.enumValues = values
            case "additionalProperties":
                guard case .bool(let flag) = member else {
                    throw SchemaError("\(path): additionalProperties must be true or false (a schema there is not supported)")
                }
                node.additionalProperties = flag
            case "minimum", "maximum":
                guard case .number(let text) = member, let number = Double(text) else { throw SchemaError("\(path): \(key) must be a number") }
                if key == "minimum" { node.minimum = number } else { node.maximum = number }
            case "minLength", "maxLength", "minItems", "maxItems":
                guard case .number(let text) = member, let count = Int(text), count >= 0 else {
                    throw SchemaError("\(path): \(key) must be a whole number, 0 or more")
                }
                switch key {
                case "minLength": node.minLength = count
                case "maxLength": node.maxLength = count
                case "minItems": node.minItems = count
                default: node.maxItems = count
                }
            case "description":
                guard case .string(let text) = member else { throw SchemaError("\(path): description must be a string") }
                node.description = text
            case "title", "$schema":
                break  // annotations: accepted, not sent
            default:
                throw SchemaError("\(path): unsupported keyword '\(key)' (vq checks: \(supportedKeywords.joined(separator: ", ")))")
            }
        }
        for name in node.required where !node.properties.contains(where: { $0.name == name }) {
            throw SchemaError("\(path): required names '\(name)', which is not in properties")
        }
        if !node.items.isEmpty && !node.types.isEmpty && !node.types.contains(.array) {
            throw SchemaError("\(path): items is given but the type is not array")
        }
        return node
    }
}

/// Why a schema cannot be used; becomes a usage error (exit 64) naming where the schema came from.
public struct SchemaError: Error, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}
