import VisionQuery

/// What `vq detect` (and `vq batch detect`) add to the query options: points or boxes, the output format, the
/// annotated picture, the classes file.
public struct DetectOptions: Equatable, Sendable {
    /// `--points`: a point per object instead of a box.
    public var points = false
    /// `--format json|coco|yolo|csv`.
    public var format = DetectionFormat.json
    /// `--annotate OUT`.
    public var annotate: String?
    /// `--overwrite`: `--annotate` (and a batch's label files) may replace existing files.
    public var overwrite = false
    /// `--classes FILE`: YOLO/COCO class names, one per line.
    public var classes: String?
    /// `--csv-raw`.
    public var csvRaw = false
    /// `--masks`: segmentation masks with the boxes, saved as PNGs.
    public var masks = false

    public init() {}

    init(_ parsed: ParsedArguments) throws(VQError) {
        points = parsed.has(.points)
        if let text = parsed.last(.format) {
            guard let format = DetectionFormat(rawValue: text) else {
                throw VQError(
                    .usage,
                    "invalid value '\(text)' for '--format': expected \(DetectionFormat.allCases.map(\.rawValue).joined(separator: ", ")) for detections")
            }
            self.format = format
        }
        if points && format == .yolo { throw VQError(.usage, "'--format yolo' writes boxes; '--points' gives points (use json, coco or csv)") }
        annotate = parsed.last(.annotate)
        if annotate?.isEmpty == true { throw VQError(.usage, "'--annotate' needs a non-empty path") }
        overwrite = parsed.has(.overwrite)
        classes = parsed.last(.classes)
        if classes?.isEmpty == true { throw VQError(.usage, "'--classes' needs a non-empty path") }
        if classes != nil && ![.yolo, .coco].contains(format) { throw VQError(.usage, "'--classes' applies to '--format yolo' and '--format coco'") }
        csvRaw = parsed.has(.csvRaw)
        masks = parsed.has(.masks)
        if masks && points { throw VQError(.usage, "'--masks' comes with boxes; leave out '--points'") }
    }
}
