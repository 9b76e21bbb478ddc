import FoundationEssentials
import TextFormatting

/// The short form of a schema, `'caption, tags [string], people int, outdoor bool'`: comma-separated (or, when the
/// text has line breaks, one per line) properties `NAME [TYPE] [: DESCRIPTION]`, all required, no others allowed.
/// TYPE is `string` (the default; also `str`), `int`/`integer`, `number`/`float`/`num`, `bool`/`boolean`, or
/// `[TYPE]` for a list of them.
public enum ConciseSchema {
    /// Type words and what they mean.
    static let typeWords: [String: SchemaNode.Kind] = [
        "string": .string, "str": .string, "int": .integer, "integer": .integer,
        "number": .number, "float": .number, "num": .number, "bool": .boolean, "boolean": .boolean,
    ]

    /// The object schema the concise text describes.
    public static func parse(_ text: String) throws(SchemaError) -> SchemaNode {
        let separator: Character = text.containsScalars("\n") ? "\n" : ","
        var root = SchemaNode(types: [.object])
        root.additionalProperties = false
        for rawItem in text.split(separator: separator) {
            let item = rawItem.trimmingWhitespace()
            if item.isEmpty { continue }
            var declaration = Substring(item)
            var description: String?
            if let colon = item.firstIndex(of: ":") {
                declaration = item[..<colon]
                description = item[item.index(after: colon)...].trimmingWhitespace()
            }
            let words = declaration.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let name = words.first, words.count <= 2 else {
                throw SchemaError("'\(item)': expected NAME [TYPE] [: DESCRIPTION], e.g. 'people int: how many people'")
            }
            guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
            else {
                throw SchemaError("'\(name)' is not a property name (letters, digits, _ and -, starting with a letter)")
            }
            guard !root.properties.contains(where: { $0.name == name }) else { throw SchemaError("property '\(name)' is given twice") }
            var node = try node(for: words.count == 2 ? words[1] : "string", property: name)
            if let description, !description.isEmpty { node.description = description }
            root.properties.append(SchemaNode.Property(name: name, node: node))
            root.required.append(name)
        }
        guard !root.properties.isEmpty else { throw SchemaError("no properties given, e.g. --schema 'caption, tags [string]'") }
        return root
    }

    private static func node(for word: String, property: String) throws(SchemaError) -> SchemaNode {
        if word.hasPrefix("[") && word.hasSuffix("]") && word.count > 2 {
            var array = SchemaNode(types: [.array])
            array.items = [try node(for: String(word.dropFirst().dropLast()), property: property)]
            return array
        }
        guard let kind = typeWords[word.lowercased()] else {
            throw SchemaError("unknown type '\(word)' for '\(property)' (known: string, int, number, bool, or [TYPE] for a list)")
        }
        return SchemaNode(types: [kind])
    }
}
