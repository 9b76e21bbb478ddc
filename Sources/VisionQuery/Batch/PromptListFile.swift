import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// `vq gen --prompts FILE`: one item per prompt. A text file holds one prompt per line; a file whose first line is a
/// JSON object holds JSON Lines `{"prompt": "…", "images": ["a.png", …], "id": "fox"}` (images and id optional), and
/// each line may give its own image-maker options by their command-line names (`"n"`, `"size"`, `"quality"`, …,
/// `"mask"`) and `"model"`, which replace the command line's for that line. Paths in a line (`images`, `mask`) are
/// relative to the file's folder. `-` reads the list from standard input (paths then relative to the current folder).
/// An item's id (`line-N` without one) is its key for `--resume` and `--shard` and the stem of its saved images'
/// names. Blank lines are skipped; a malformed line stops the run before anything is sent.
public struct PromptListFile: Sendable {
    public let path: String
    /// The command line's image-maker options, which a line's own replace; a line is checked with them (a line asking
    /// for a transparent background over `--format jpeg` is refused).
    public let base: ImageGeneration

    public init(path: String, base: ImageGeneration = ImageGeneration()) {
        self.path = path
        self.base = base
    }

    /// Whether the list is read from standard input (`--prompts -`).
    public var readsStandardInput: Bool { path == "-" }

    /// What messages call the list: its path, or `stdin`.
    var name: String { readsStandardInput ? "stdin" : path }

    /// The folder a line's relative paths start from: the file's own; the current one for standard input.
    var folder: String { readsStandardInput ? "" : PathText.deletingLastComponent(path) }

    /// The fields a line may give for an image-maker option: its command-line name (`n`, `size`, `fidelity`), and
    /// `count` (`--count`) and `input_fidelity` (the name in a result's `provenance.options`), so that a result's
    /// options can be copied into a line. `--partial-images` shows one image's progress and has no field.
    static let optionFields: [String: ImageGeneration.Option] = {
        var fields: [String: ImageGeneration.Option] = [:]
        for option in ImageGeneration.Option.allCases where option != .partialImages { fields[ImageGeneration.name(of: option)] = option }
        fields["count"] = .count
        fields["input_fidelity"] = .fidelity
        return fields
    }()

    /// Every field a JSON line may have.
    static let fields: Set<String> = Set(["prompt", "images", "id", "model"]).union(optionFields.keys)

    /// Every item of the file, in order.
    public func items() throws(VQError) -> [BatchItem] {
        if !readsStandardInput {
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw VQError(.inputMissing, "\(path): no such file (given to --prompts)")
            }
            guard !isDirectory else { throw VQError(.inputMissing, "\(path): is a directory; --prompts takes a file of prompts") }
        }
        var items: [BatchItem] = []
        var lineOfID: [String: Int] = [:]
        var number = 0
        var jsonLines: Bool?
        func take(_ bytes: Data) throws(VQError) {
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
                    .badInput, "\(name):\(number): id '\(item.key)' is line \(first)'s too; ids must be distinct (they name the results and the images)")
            }
            items.append(item)
        }
        if readsStandardInput {
            try FileLines.forEachLine(of: STDIN_FILENO, name: name, take)
        } else {
            try FileLines.forEachLine(of: path, take)
        }
        guard !items.isEmpty else { throw VQError(.badInput, "\(name): no prompts (one per line, or JSON Lines with \"prompt\")") }
        return items
    }

    /// One JSON line's item; exit 65 naming the line, and the field, of what is wrong with it.
    private func jsonItem(_ line: String, number: Int) throws(VQError) -> BatchItem {
        let place = "\(name):\(number)"
        guard let object = (try? JSONReader.value(line)) as? [String: Any] else {
            throw VQError(.badInput, "\(place): not a JSON object (a file whose first line is JSON holds one object per line)")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.fields.contains($0) }) {
            if unknown == "profile" {
                throw VQError(.badInput, "\(place): a line cannot choose the profile (a prompt list runs on one, given by -p); \"model\" can change per line")
            }
            let hint = Suggestion.closest(to: unknown, among: Array(Self.fields)).map { "; did you mean '\($0)'?" } ?? ""
            throw VQError(
                .badInput,
                "\(place): unknown field '\(unknown)'\(hint) (a line has \"prompt\", and optionally \"images\", \"id\", \"model\" and the options of vq gen: \(Self.optionFields.keys.sorted().joined(separator: ", ")))"
            )
        }
        guard let prompt = object["prompt"] as? String, !prompt.trimmingWhitespaceAndNewlines().isEmpty else {
            throw VQError(.badInput, "\(place): \"prompt\" must be a non-empty string")
        }
        var sources: [String] = []
        if let images = object["images"] {
            guard let list = images as? [String], !list.contains(where: \.isEmpty) else {
                throw VQError(.badInput, "\(place): \"images\" must be a list of paths or URLs")
            }
            sources = try list.map { (source) throws(VQError) in try resolved(source, field: "images", place: place) }
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
        var options = try self.options(object, place: place)
        if let mask = options.generation.mask {
            guard !sources.isEmpty else { throw VQError(.badInput, "\(place): \"mask\" edits an image: give the line's \"images\" too") }
            options.generation.mask = try resolved(mask, field: "mask", place: place)
        }
        return BatchItem.prompted(id: id, prompt: prompt, sources: sources, options: options)
    }

    /// The line's own options, each value checked as its command-line option checks it.
    private func options(_ object: [String: Any], place: String) throws(VQError) -> PromptLineOptions {
        var options = PromptLineOptions()
        var fieldOf: [ImageGeneration.Option: String] = [:]
        for field in object.keys.sorted() {
            guard let option = Self.optionFields[field], let value = object[field] else { continue }
            if let other = fieldOf.updateValue(field, forKey: option) {
                throw VQError(.badInput, "\(place): \"\(other)\" and \"\(field)\" both give \(option.rawValue); give one")
            }
            let text: String
            if let string = value as? String {
                text = string
            } else if let number = JSONValue.exactNumber(value) {
                text = Int(exactly: number).map(String.init) ?? "\(number)"
            } else {
                throw VQError(.badInput, "\(place): \"\(field)\" must be a string or a number, as \(option.rawValue) takes")
            }
            do throws(ImageGeneration.RefusedValue) { try options.generation.set(option, text) } catch {
                throw VQError(.badInput, "\(place): invalid value '\(text)' for \"\(field)\": expected \(error.expected)")
            }
        }
        options.given = ImageGeneration.Option.allCases.filter { fieldOf[$0] != nil }
        if let model = object["model"] {
            guard let text = model as? String, !text.trimmingWhitespace().isEmpty,
                !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw VQError(.badInput, "\(place): \"model\" must be a non-empty string (a model name, as -m takes)") }
            options.model = text
        }
        if options.applied(to: base).asksTransparentJPEG {
            throw VQError(
                .badInput,
                "\(place): a transparent \"background\" needs \"format\" png or webp (JPEG has no transparency; the line's options are taken over the command line's)"
            )
        }
        return options
    }

    /// A line's path as vq opens it: relative to the list's folder; URLs and absolute paths as they are. Standard
    /// input (`-`) cannot be named when the list itself comes from it.
    private func resolved(_ source: String, field: String, place: String) throws(VQError) -> String {
        if source == "-" {
            guard !readsStandardInput else {
                throw VQError(.usage, "\(place): \"\(field)\" names standard input ('-'), but the prompt list is read from it (--prompts -)")
            }
            return source
        }
        guard !InputLoader.isURL(source), !source.hasPrefix("/"), !folder.isEmpty else { return source }
        return PathText.appending(folder, source)
    }
}
