import FoundationEssentials
import Platform
import TextFormatting

/// Reads a `vq eval` cases file (JSON Lines; blank lines and lines starting with `#` skipped). Every line is checked
/// before anything is sent; an error names the file and line (exit 65), a missing file is exit 66.
public enum EvalCaseFile {
    public static func load(path: String) throws(VQError) -> [EvalCase] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw VQError(.inputMissing, "\(path): cannot read the cases: \(ErrorDescription.reason(error))")
        }
        return try parse(text, path: path)
    }

    /// Parses cases text; `path` is used in messages and to resolve relative image paths.
    public static func parse(_ text: String, path: String) throws(VQError) -> [EvalCase] {
        let directory = PathText.deletingLastComponent(path)
        var cases: [EvalCase] = []
        var ids: [String: Int] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let number = index + 1
            var item = try EvalCase.parse(String(trimmed), number: number) { VQError(.badInput, "\(path):\(number): \($0)") }
            if let earlier = ids[item.id] { throw VQError(.badInput, "\(path):\(number): case id '\(item.id)' is used on line \(earlier) too") }
            ids[item.id] = number
            item.images = item.images.map { image in
                image.contains("://") || image.hasPrefix("/") || image == "-" || directory.isEmpty ? image : directory + "/" + image
            }
            cases.append(item)
        }
        if cases.isEmpty { throw VQError(.badInput, "\(path): no cases (one JSON object per line)") }
        return cases
    }
}
