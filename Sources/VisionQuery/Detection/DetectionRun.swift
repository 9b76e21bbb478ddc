import FoundationEssentials
import Imaging
import Platform
import Transport

/// What one detection asks: what to find, in which image.
public struct DetectionRequest: Sendable {
    public var target: String
    public var input: String

    public init(target: String, input: String) {
        self.target = target
        self.input = input
    }
}

/// What one detection found, in the original image's displayed pixels.
public struct DetectionResult: Sendable {
    public var input: String
    public var frame: SentImageFrame
    public var convention: CoordinateConvention
    public var detections: [Detection]
    public var exchange: ExchangeResult
    /// Where `--annotate` saved the picture.
    public var annotated: String?
    /// For a PDF page: its number and the raster's pixels per inch.
    var page: DetectionPage?

    /// The object `vq detect` prints (and an MCP `detect` tool returns): the image, its displayed size, the objects.
    public var jsonObject: [String: Any] {
        var object = detected.jsonObject(coordinates: convention, model: exchange.outcome.model)
        if let annotated { object["annotated"] = annotated }
        if let page {
            object["page"] = page.number
            object["dpi"] = (page.dpi * 100).rounded() / 100
        }
        return object
    }

    /// What the formats write.
    public var detected: DetectedImage {
        DetectedImage(image: input, width: frame.displayed.width, height: frame.displayed.height, detections: detections)
    }
}

/// One `vq detect` (and the entry point for an MCP `detect` tool): asks the model for boxes or points in the family's
/// convention through one `ExchangeRun` with vq's detection schema, checks the answer (exit 79 with the reason), and
/// maps every coordinate back through the shrink and the EXIF turn into the original image as a viewer shows it.
public final class DetectionRun: @unchecked Sendable {
    private let run: ExchangeRun
    private let sink: RunSink
    private let dryRun: Bool
    public let convention: CoordinateConvention
    public let kind: DetectionKind
    /// `--masks`: each box with its segmentation mask, saved as a PNG in `masksDirectory`.
    public let masks: Bool
    public var masksDirectory = "."
    /// `--format`: how the result is printed.
    public var format = DetectionFormat.json
    /// `--annotate OUT`: the picture with the objects drawn.
    public var annotation: DetectionAnnotation?
    /// YOLO and COCO class ids (`--classes FILE`, else in memory).
    public var classes: DetectionClasses
    /// CSV cells that a spreadsheet would run as formulas get a leading `'` (not with `--csv-raw`).
    public var neutralisesFormulas = true
    /// The bytes read from standard input for `-` (kept for `--annotate`).
    private let standardInput = StandardInputCopy()
    /// How images (and PDF pages) are prepared, and which pages `--pages` selects.
    private let preparation: PreparationOptions
    private let pages: PageSelection?

    /// `session` is the query's session (profile, key, transfer); its schema is replaced by the detection schema.
    public init(
        session: QuerySession, kind: DetectionKind, masks: Bool = false, policy: OutputPolicy, sink: RunSink, client: HTTPClient, saver: ImageSaver,
        transcript: Transcript
    ) throws(VQError) {
        var session = session
        let convention = try CoordinateConvention.of(profile: session.profile, model: session.profile.model ?? "")
        self.convention = convention
        self.kind = kind
        self.masks = masks
        classes = DetectionClasses()
        session.schema = DetectionPrompt(target: "", kind: kind, convention: convention, masks: masks).schema
        session.documents = session.documents.rendering  // a PDF page is an image vq renders: its pixels are the frame
        preparation = session.options.preparationOptions(profile: session.profile, inlineImagesPerRequest: 1, prompt: "")
        pages = session.options.pages
        var policy = policy
        policy.json = false
        policy.printsStructured = true
        dryRun = session.options.dryRun
        self.sink = sink
        run = ExchangeRun(
            session: session, policy: policy, sink: DetectionSink(base: sink, passesAnswer: session.options.dryRun), client: client,
            saver: saver, transcript: transcript)
        run.checksAnswer = false  // DetectionAnswer checks it, more closely, and takes a bare list too
    }

    /// Standard input for a `-` argument.
    public var readStandardInput: @Sendable () -> Data {
        get { run.readStandardInput }
        set { run.readStandardInput = { [standardInput] in standardInput.keep(newValue()) } }
    }

    /// Runs the detection; prints the result as one JSON line unless a dry run; returns it (nil after a dry run).
    public func run(_ request: DetectionRequest) throws(VQError) -> DetectionResult? {
        if request.input.hasPrefix("http://") || request.input.hasPrefix("https://") {
            throw VQError(.usage, "vq detect: \(request.input): download the image first; coordinates are mapped back through the bytes vq sends")
        }
        let pageNumber = try DetectionPage.selected(in: request.input, pages: pages)
        try annotation?.checkBeforeSending()
        if masks { try DetectionMaskWriter(directory: masksDirectory).prepare() }
        let prompt = DetectionPrompt(target: request.target, kind: kind, convention: convention, masks: masks)
        let exchange = try run.run(ExchangeRequest(prompt: prompt.text, inputs: [request.input]))
        let prepared = exchange.parts.compactMap(\.preparation)
        guard prepared.count == 1, exchange.parts.count == 1 else {
            throw VQError(
                .usage, "vq detect: \(request.input) gave \(exchange.parts.count) images; it finds things in one image (choose one PDF page with --pages N)")
        }
        let frame = SentImageFrame(prepared[0])
        sink.debug(frame.summary)
        if dryRun {
            sink.notice("\(convention.name) coordinates: \(frame.summary)")
            return nil
        }
        var detections = try DetectionAnswer.read(exchange.text, prompt: prompt, frame: frame)
        let page = exchange.parts[0].page ?? pageNumber
        let name = page.map { "\(PathText.deletingExtension(PathText.lastComponent(request.input)))-p\($0)" } ?? request.input
        if masks { try DetectionMaskWriter(directory: masksDirectory).save(&detections, image: name, size: frame.displayed) }
        var result = DetectionResult(input: request.input, frame: frame, convention: convention, detections: detections, exchange: exchange)
        if let page {
            let document = try original(request.input)
            result.page = DetectionPage(number: page, dpi: DetectionPage.dpi(document, page: page, raster: frame.stored) ?? 0)
            if let annotation {
                let image = try DetectionPage.render(document, page: page, options: preparation, raster: frame.stored)
                try annotation.save(detections, drawnOn: image, frame: frame)
                result.annotated = annotation.path
            }
        } else if let annotation {
            try annotation.save(detections, on: try original(request.input), frame: frame)
            result.annotated = annotation.path
        }
        sink.out(try printed(result))
        return result
    }

    /// The result in `format`; a YOLO run without a classes file says its classes on stderr.
    private func printed(_ result: DetectionResult) throws(VQError) -> String {
        switch format {
        case .json:
            return JSONText.render(result.jsonObject) + "\n"
        case .coco:
            return JSONText.render(try DetectionExport.coco([result.detected], classes: classes)) + "\n"
        case .yolo:
            let lines = try DetectionExport.yolo(result.detected, classes: classes)
            if classes.path == nil {
                let list = classes.all.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
                sink.notice("YOLO classes: \(list.isEmpty ? "none" : list) (--classes FILE keeps the ids across runs)")
            }
            return lines
        case .csv:
            let points = kind == .points
            let rows =
                DetectionExport.csvHeader(points: points, errors: false)
                + DetectionExport.csvRows(result.detected, points: points, errors: false, neutralisingFormulas: neutralisesFormulas)
            return String(decoding: rows, as: UTF8.self)
        }
    }

    /// The bytes of the image the user gave, for drawing on: the file read again, or standard input as it was read.
    private func original(_ input: String) throws(VQError) -> Data {
        if input == "-", let data = standardInput.data { return data }
        guard let data = FileManager.default.contents(atPath: input) else { throw VQError(.inputMissing, "\(input): cannot read it again to draw on") }
        return data
    }
}
