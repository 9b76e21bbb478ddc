import FoundationEssentials
import Imaging
import Platform

/// `vq batch detect TARGET INPUT...`: a detection per image as a batch's work. Every answer is read and mapped as
/// `vq detect` does (a bad one is that image's error, exit 79's reason in its line); the line's `output` is the
/// detection object. By `--format`: json lines to stdout or `--out FILE`; yolo, one label file per image under
/// `--out DIR` (its path mirroring the image's key) with DIR/classes.txt, the journal DIR/detections.jsonl; coco and
/// csv, the journal `OUT.jsonl` and OUT written from it whole at the end of each run (so a resumed run's is complete).
/// With `--annotate DIR`, each image's objects drawn onto it go to DIR, mirroring its path, before its line is written.
public final class BatchDetection: @unchecked Sendable {
    public let prompt: DetectionPrompt
    public let format: DetectionFormat
    /// `--out` as given: the dataset's folder (yolo) or file (coco, csv), or the JSON Lines file (json).
    public let out: String?
    /// The JSON Lines file the run appends to and `--resume` reads (nil: stdout).
    public let journal: String?
    /// The COCO or CSV file written from the journal.
    public let export: String?
    public let overwrite: Bool
    public let neutralisesFormulas: Bool
    public let classes: DetectionClasses
    /// `--annotate DIR`: the folder the annotated pictures go to.
    public let annotateDirectory: String?
    /// The model named in each line when the service does not say.
    private let model: String?
    /// How a PDF page is rendered for sending, so an annotated page is drawn on the same raster.
    private let preparation: PreparationOptions

    /// `shard` (this run's, resolved as the plan will) names the journal, and a COCO or CSV file, per shard.
    public init(
        target: String, kind: DetectionKind, session: QuerySession, format: DetectionFormat, out: String?, classesPath: String?,
        overwrite: Bool, neutralisesFormulas: Bool, shard: Shard?, resume: Bool, annotateDirectory: String? = nil
    ) throws(VQError) {
        let convention = try CoordinateConvention.of(profile: session.profile, model: session.options.model ?? session.profile.model ?? "")
        prompt = DetectionPrompt(target: target, kind: kind, convention: convention)
        self.format = format
        self.out = out
        self.overwrite = overwrite
        self.neutralisesFormulas = neutralisesFormulas
        model = session.options.model ?? session.profile.model
        preparation = session.options.preparationOptions(profile: session.profile, inlineImagesPerRequest: 1, prompt: "")
        self.annotateDirectory = annotateDirectory
        if let annotateDirectory { try Self.makeDirectory(annotateDirectory, option: "--annotate", writes: "annotated pictures") }
        let suffix = shard.map { ".shard-\($0.index)-of-\($0.count)" } ?? ""
        switch format {
        case .json:
            journal = out
            export = nil
            classes = DetectionClasses()
        case .yolo:
            guard let out else { throw VQError(.usage, "'vq batch detect --format yolo' needs '--out DIR' (the folder the label files go to)") }
            try Self.makeDirectory(out, option: "--out", writes: "label files")
            journal = PathText.appending(out, "detections\(suffix).jsonl")
            export = nil
            classes = try DetectionClasses(path: classesPath ?? PathText.appending(out, "classes.txt"))
        case .coco, .csv:
            guard let out else { throw VQError(.usage, "'vq batch detect --format \(format.rawValue)' needs '--out FILE'") }
            let ext = PathText.fileExtension(out)
            let file = suffix.isEmpty ? out : PathText.deletingExtension(out) + suffix + (ext.isEmpty ? "" : "." + ext)
            if !resume && !overwrite && FileManager.default.fileExists(atPath: file) {
                throw VQError(
                    .cannotCreate, "\(file): already exists; vq never overwrites files (--resume continues the run that wrote it; --overwrite replaces it)")
            }
            export = file
            journal = file + ".jsonl"
            classes = try classesPath.map { (path) throws(VQError) in try DetectionClasses(path: path) } ?? DetectionClasses()
        }
    }

    /// The session's schema for every request: vq's detection schema in the family's convention.
    public var schema: AnswerSchema { prompt.schema }

    /// Where an image's YOLO label file goes: its key (its path inside the directory given) with `.txt`, else its file
    /// name with `.txt`, under `--out`.
    public func labelPath(key: String, image: String) -> String {
        let relative = key.hasPrefix("/") || InputLoader.isURL(key) ? PathText.lastComponent(image) : key
        return PathText.appending(out ?? ".", PathText.deletingExtension(relative) + ".txt")
    }

    /// Where an image's annotated picture goes: its key (as for label files; a PDF page's with `-pN`) under
    /// `--annotate`, as PNG for a PNG original or a PDF page, else JPEG.
    public func annotatedPath(key: String, image: String) -> String? {
        guard let annotateDirectory else { return nil }
        let page = PageItem.split(key)
        let name = page?.path ?? key
        let relative = name.hasPrefix("/") || InputLoader.isURL(name) ? PathText.lastComponent(page?.path ?? image) : name
        let png = page != nil || ["png", "pdf"].contains(PathText.fileExtension(relative).lowercased())
        let stem = PathText.deletingExtension(relative) + (page.map { "-p\($0.page)" } ?? "")
        return PathText.appending(annotateDirectory, stem + (png ? ".png" : ".jpg"))
    }

    /// The work done on each answer of a run over `selection`. Refuses (before anything is sent) two images whose
    /// label files or annotated pictures would be one.
    public func work(for selection: BatchSelection) throws(VQError) -> BatchItemWork {
        if format == .yolo { try checkDistinct(selection, "labelled in") { labelPath(key: $0.key, image: $0.path) } }
        if annotateDirectory != nil { try checkDistinct(selection, "drawn in") { annotatedPath(key: $0.key, image: $0.path) ?? "" } }
        return BatchItemWork { [self] input, result in
            var result = result
            do throws(VQError) {
                let key = result.key ?? selection.key(for: result.image) ?? result.image
                let image = try detected(input, answer: result.output ?? "")
                var object = image.jsonObject(coordinates: prompt.convention, model: result.model ?? model)
                let annotated = annotatedPath(key: key, image: result.image)
                // Checked before the label file is written, so a refused picture leaves no label behind.
                if let annotated, !overwrite, FileManager.default.fileExists(atPath: annotated) {
                    throw VQError(.cannotCreate, "\(annotated): exists; not overwritten (use --overwrite)")
                }
                if format == .yolo {
                    let path = labelPath(key: key, image: result.image)
                    try writeLabels(try DetectionExport.yolo(image, classes: classes), to: path)
                    object["labels"] = path
                }
                if let annotated {
                    try annotate(image.detections, input: input, image: result.image, to: annotated)
                    object["annotated"] = annotated
                }
                result.structuredOutput = try? OrderedJSON.parse(JSONText.render(object))
                result.output = result.structuredOutput?.text
            } catch {
                result.error = VQError(error.category, "\(result.image): \(error.message)")
            }
            return result
        }
    }

    /// The answer read and mapped into the original's pixels.
    private func detected(_ input: Input, answer: String) throws(VQError) -> DetectedImage {
        let prepared = input.parts.compactMap(\.preparation)
        guard prepared.count == 1, input.parts.count == 1 else {
            throw VQError(.usage, "gave \(input.parts.count) image(s) as sent; vq batch detect finds things in one local image per item")
        }
        let frame = SentImageFrame(prepared[0])
        let detections = try DetectionAnswer.read(answer, prompt: prompt, frame: frame)
        return DetectedImage(image: input.source, width: frame.displayed.width, height: frame.displayed.height, detections: detections)
    }

    /// Refuses two items whose files (`place` of each) would be one.
    private func checkDistinct(_ selection: BatchSelection, _ verb: String, place: (BatchItem) -> String) throws(VQError) {
        var seen: [String: String] = [:]
        for item in selection.items {
            let path = place(item)
            if let other = seen.updateValue(item.path, forKey: path) {
                throw VQError(
                    .usage, "\(other) and \(item.path) would both be \(verb) \(path); give their common parent directory so the files mirror their paths")
            }
        }
    }

    /// Draws the detections onto the image as a viewer shows it (a PDF page rendered again on the raster sent).
    private func annotate(_ detections: [Detection], input: Input, image: String, to path: String) throws(VQError) {
        guard let prepared = input.parts.first?.preparation else { return }
        let frame = SentImageFrame(prepared)
        let annotation = try DetectionAnnotation(path: path, overwrite: overwrite)
        try Self.makeDirectory(AtomicFile.parent(of: path), option: "--annotate", writes: "annotated pictures")
        guard let original = FileManager.default.contents(atPath: PageItem.split(image)?.path ?? image) else {
            throw VQError(.inputMissing, "cannot read it again to draw on")
        }
        if let page = input.parts.first?.page {
            try annotation.save(detections, drawnOn: DetectionPage.render(original, page: page, options: preparation, raster: frame.stored), frame: frame)
        } else {
            try annotation.save(detections, on: original, frame: frame)
        }
    }

    /// Creates a folder the run writes into; a file in its place is refused.
    private static func makeDirectory(_ path: String, option: String, writes: String) throws(VQError) {
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory {
            throw VQError(.cannotCreate, "\(path): \(option) names a file; vq batch detect writes a folder of \(writes)")
        }
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw VQError(.cannotCreate, "\(path): cannot create directory: \(ErrorDescription.reason(error))")
        }
    }

    /// Writes a label file whole (a crash leaves the old file or none), never over one unless `--overwrite`.
    private func writeLabels(_ text: String, to path: String) throws(VQError) {
        let folder = AtomicFile.parent(of: path)
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw VQError(.cannotCreate, "\(folder): cannot create directory: \(ErrorDescription.reason(error))")
        }
        if overwrite {
            try AtomicFile.replace(path, with: Data(text.utf8), noun: " label file")
        } else if try !AtomicFile.create(path, with: Data(text.utf8), noun: " label file") {
            throw VQError(.cannotCreate, "\(path): exists; not overwritten (use --overwrite)")
        }
    }

    /// After a run: the COCO or CSV file written whole (atomically) from every line of the journal, so it holds the
    /// images of earlier runs too; for CSV a failed image is a row with its error. Nothing for json and yolo.
    public func writeExport() throws(VQError) {
        guard let export, let journal else { return }
        let data = FileManager.default.contents(atPath: journal) ?? Data()
        var images: [DetectedImage] = []
        var failures: [(image: String, error: String)] = []
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            defer { start = newline + 1 }
            guard let line = try? JSONReader.value(data[start..<newline]) as? [String: Any], var image = line["image"] as? String
            else { continue }
            // Named as in the dataset: by its path inside the directory given.
            if let key = line["key"] as? String, !key.hasPrefix("/"), !InputLoader.isURL(key) { image = key }
            if let error = line["error"] as? String {
                failures.append((image, error))
            } else if let output = line["output"] as? [String: Any], let detected = DetectedImage(image: image, json: output) {
                images.append(detected)
            }
        }
        let points = prompt.kind == .points
        var text = Data()
        switch format {
        case .coco:
            text = Data((JSONText.render(try DetectionExport.coco(images, classes: classes), pretty: true) + "\n").utf8)
        case .csv:
            text = DetectionExport.csvHeader(points: points, errors: true)
            for image in images {
                text += DetectionExport.csvRows(image, points: points, errors: true, neutralisingFormulas: neutralisesFormulas)
            }
            for failure in failures {
                text += DetectionExport.csvRows(
                    DetectedImage(image: failure.image, width: 0, height: 0, detections: []), points: points, errors: true, error: failure.error,
                    neutralisingFormulas: neutralisesFormulas)
            }
        case .json, .yolo:
            return
        }
        try AtomicFile.replace(export, with: text, noun: " \(format.rawValue) file")
    }
}
