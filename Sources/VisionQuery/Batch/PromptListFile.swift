import FoundationEssentials
import Platform
import TextFormatting

/// `vq gen --prompts FILE`: one item per prompt. A text file holds one prompt per line; a file whose first line is a
/// JSON object holds JSON Lines `{"prompt": "…", "images": ["a.png", …], "id": "fox"}` (images and id optional).
/// An item's id (`line-N` without one) is its key for `--resume` and `--shard` and the stem of its saved images'
/// names. Blank lines are skipped; a malformed line stops the run before anything is sent.
public struct PromptListFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The fields a JSON line may have.
    static let fields: Set<String> = ["prompt", "images", "id"]

    /// Every item of the file, in order.
    public func items() throws(VQError) -> [BatchItem] {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VQError(.inputMissing, "\(path): no such file (given to --prompts)")
        }
        guard !isDirectory else { throw VQError(.inputMissing, "\(path): is a directory; --prompts takes a file of prompts") }
        var items: [BatchItem] = []
        var lineOfID: [String: Int] = [:]
        var number = 0
        var jsonLines: Bool?
        try FileLines.forEachLine(of: path) { (bytes) throws(VQError) in
            number += 1
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if number == 1, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            guard !line.trimmingWhitespace().isEmpty else { return }
            let json = jsonLines ?? line.trimmingWhitespace().hasPrefix("{")
            jsonLines = json
            let item = json ? try jsonItem(line, number: number) : BatchItem.prompted(id: "line-\(number)", prompt: line, sources: [])
            if let first = lineOfID.updateValue(number, forKey: item.key) {
                throw VQError(
                    .badInput, "\(path):\(number): id '\(item.key)' is line \(first)'s too; ids must be distinct (they name the results and the images)")
            }
            items.append(item)
        }
        guard !items.isEmpty else { throw VQError(.badInput, "\(path): no prompts (one per line, or JSON Lines with \"prompt\")") }
        return items
    }

    /// One JSON line's item; exit 65 naming the line and what is wrong with it.
    private func jsonItem(_ line: String, number: Int) throws(VQError) -> BatchItem {
        let place = "\(path):\(number)"
        guard let object = (try? JSONReader.value(line)) as? [String: Any] else {
            throw VQError(.badInput, "\(place): not a JSON object (a file whose first line is JSON holds one object per line)")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            throw VQError(.badInput, "\(place): unknown field '\(unknown)' (a line has \"prompt\", and optionally \"images\" and \"id\")")
        }
        guard let prompt = object["prompt"] as? String, !prompt.trimmingWhitespaceAndNewlines().isEmpty else {
            throw VQError(.badInput, "\(place): \"prompt\" must be a non-empty string")
        }
        var sources: [String] = []
        if let images = object["images"] {
            guard let list = images as? [String], !list.contains(where: \.isEmpty) else {
                throw VQError(.badInput, "\(place): \"images\" must be a list of paths or URLs")
            }
            sources = list
        }
        var id = "line-\(number)"
        if let given = object["id"] {
            if let text = given as? String, !text.isEmpty, !text.contains(where: { $0.isNewline }) {
                id = text
            } else if let number = JSONValue.exactNumber(given), let whole = Int(exactly: number) {
                id = String(whole)
            } else {
                throw VQError(.badInput, "\(place): \"id\" must be a non-empty string or a whole number")
            }
        }
        return BatchItem.prompted(id: id, prompt: prompt, sources: sources)
    }
}
