import FoundationEssentials
import Platform

/// Reads a tool call's `arguments` with one-line errors naming the argument, so a bad call is a tool error the
/// model can correct.
struct MCPArguments {
    let tool: String
    let values: [String: Any]

    func string(_ name: String, required: Bool = false) throws(VQError) -> String? {
        guard let value = values[name], !(value is JSONNull) else {
            if required { throw VQError(.usage, "\(tool): '\(name)' is required") }
            return nil
        }
        guard let text = value as? String, !(required && text.isEmpty) else {
            throw VQError(.usage, "\(tool): '\(name)' must be a\(required ? " non-empty" : "") string")
        }
        return text
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws(VQError) -> Double? {
        guard let value = values[name], !(value is JSONNull) else { return nil }
        // Values are Swift's own (see `JSONRPCMessage.parse`): a JSON true is a Bool, never a number.
        let number: Double? =
            switch value {
            case let whole as Int: Double(whole)
            case let fraction as Double: fraction
            default: nil
            }
        guard let number, range.contains(number) else {
            throw VQError(.usage, "\(tool): '\(name)' must be a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound))")
        }
        return number
    }

    func whole(_ name: String, minimum: Int, maximum: Int = Int(Int32.max)) throws(VQError) -> Int? {
        guard let value = try number(name, in: Double(minimum)...Double(maximum)) else { return nil }
        guard value == value.rounded() else { throw VQError(.usage, "\(tool): '\(name)' must be a whole number") }
        return Int(value)
    }

    /// A string argument that must be one of `values` (case-insensitive; returned in lower case).
    func choice(_ name: String, among values: [String]) throws(VQError) -> String? {
        guard let text = try string(name) else { return nil }
        guard values.contains(text.lowercased()) else { throw VQError(.usage, "\(tool): '\(name)' must be one of \(values.joined(separator: ", "))") }
        return text.lowercased()
    }

    /// A boolean argument (false when absent).
    func flag(_ name: String) throws(VQError) -> Bool {
        guard let value = values[name], !(value is JSONNull) else { return false }
        guard let flag = value as? Bool else { throw VQError(.usage, "\(tool): '\(name)' must be true or false") }
        return flag
    }

    /// An array argument (empty when absent).
    func array(_ name: String) throws(VQError) -> [Any] {
        guard let value = values[name], !(value is JSONNull) else { return [] }
        guard let array = value as? [Any] else { throw VQError(.usage, "\(tool): '\(name)' must be an array") }
        return array
    }

    /// Arguments the tool does not know, so a misspelt one is not silently ignored.
    func rejectUnknown(_ known: Set<String>) throws(VQError) {
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            let hint = Suggestion.closest(to: unknown, among: known.sorted()).map { "; did you mean '\($0)'?" } ?? ""
            throw VQError(.usage, "\(tool): unknown argument '\(unknown)'\(hint)")
        }
    }

    private static func plain(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
