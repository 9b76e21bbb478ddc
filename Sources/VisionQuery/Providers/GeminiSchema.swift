import FoundationEssentials
import Platform

/// A vq schema in the form Gemini's `generationConfig.responseSchema` takes (an OpenAPI 3.0 Schema subset):
/// upper-case type names, `nullable` instead of a `null` type, `propertyOrdering` so the answer keeps the schema's
/// order, string-only `enum`, no `additionalProperties` (vq still checks everything the original schema says).
enum GeminiSchema {
    static func object(for node: SchemaNode) -> [String: Any] {
        var object: [String: Any] = [:]
        let kinds = node.types.filter { $0 != .null }
        if node.types.contains(.null) { object["nullable"] = true }
        if kinds.count == 1 {
            object["type"] = kinds[0].rawValue.uppercased()  // the API's Type enum: STRING, OBJECT, …
        } else if kinds.count > 1 {
            return [
                "anyOf": kinds.map { kind -> [String: Any] in
                    var single = node
                    single.types = [kind]
                    return Self.object(for: single)
                }
            ].merging(node.types.contains(.null) ? ["nullable": true] : [:]) { first, _ in first }
        }
        if let description = node.description { object["description"] = description }
        if !node.properties.isEmpty || kinds == [.object] {
            object["properties"] = Dictionary(node.properties.map { ($0.name, Self.object(for: $0.node)) }, uniquingKeysWith: { _, last in last })
            object["propertyOrdering"] = node.properties.map(\.name)
            if !node.required.isEmpty { object["required"] = node.required }
        }
        if let items = node.items.first { object["items"] = Self.object(for: items) }
        if let values = node.enumValues {
            let strings = values.compactMap { value -> String? in if case .string(let text) = value { text } else { nil } }
            if strings.count == values.count { object["enum"] = strings }
        }
        if let minimum = node.minimum { object["minimum"] = minimum }
        if let maximum = node.maximum { object["maximum"] = maximum }
        if let count = node.minItems { object["minItems"] = count }
        if let count = node.maxItems { object["maxItems"] = count }
        if let count = node.minLength { object["minLength"] = count }
        if let count = node.maxLength { object["maxLength"] = count }
        return object
    }
}
