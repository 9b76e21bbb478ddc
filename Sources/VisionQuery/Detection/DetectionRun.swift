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

    /// The object `vq detect` prints (and an MCP `detect` tool returns): the image, its displayed size, the objects.
    public var jsonObject: [String: Any] {
        [
            "image": input, "width": frame.displayed.width, "height": frame.displayed.height, "coordinates": convention.name,
            "model": exchange.outcome.model ?? JSONNull(), "objects": detections.map(\.jsonObject),
        ]
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

    /// `session` is the query's session (profile, key, transfer); its schema is replaced by the detection schema.
    public init(
        session: QuerySession, kind: DetectionKind, policy: OutputPolicy, sink: RunSink, client: HTTPClient, saver: ImageSaver,
        transcript: Transcript
    ) {
        var session = session
        let convention = CoordinateConvention.of(profile: session.profile, model: session.profile.model ?? "")
        self.convention = convention
        self.kind = kind
        session.schema = DetectionPrompt(target: "", kind: kind, convention: convention).schema
        var policy = policy
        policy.json = false
        policy.printsStructured = true
        dryRun = session.options.dryRun
        self.sink = sink
        run = ExchangeRun(
            session: session, policy: policy, sink: DetectionSink(base: sink, passesAnswer: session.options.dryRun), client: client,
            saver: saver, transcript: transcript)
    }

    /// Standard input for a `-` argument.
    public var readStandardInput: @Sendable () -> Data {
        get { run.readStandardInput }
        set { run.readStandardInput = newValue }
    }

    /// Runs the detection; prints the result as one JSON line unless a dry run; returns it (nil after a dry run).
    public func run(_ request: DetectionRequest) throws(VQError) -> DetectionResult? {
        if request.input.hasPrefix("http://") || request.input.hasPrefix("https://") {
            throw VQError(.usage, "vq detect: \(request.input): download the image first; coordinates are mapped back through the bytes vq sends")
        }
        let prompt = DetectionPrompt(target: request.target, kind: kind, convention: convention)
        let exchange = try run.run(ExchangeRequest(prompt: prompt.text, inputs: [request.input]))
        let prepared = exchange.parts.compactMap(\.preparation)
        guard prepared.count == 1, exchange.parts.count == 1 else {
            throw VQError(
                .usage, "vq detect: \(request.input) gave \(exchange.parts.count) images; it finds things in one image (save the PDF page as an image first)")
        }
        let frame = SentImageFrame(prepared[0])
        sink.debug(frame.summary)
        if dryRun {
            sink.notice("\(convention.name) coordinates: \(frame.summary)")
            return nil
        }
        let detections = try DetectionAnswer.read(exchange.text, prompt: prompt, frame: frame)
        let result = DetectionResult(input: request.input, frame: frame, convention: convention, detections: detections, exchange: exchange)
        sink.out(JSONText.render(result.jsonObject) + "\n")
        return result
    }
}
