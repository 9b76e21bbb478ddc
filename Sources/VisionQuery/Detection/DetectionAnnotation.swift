import FoundationEssentials
import Imaging
import Platform
import TextFormatting

/// `vq detect --annotate OUT`: the objects found drawn onto the original image as a viewer shows it (EXIF turn
/// applied, full resolution) with their labels, saved as JPEG or PNG by OUT's extension, atomically, never over an
/// existing file unless `--overwrite`.
public struct DetectionAnnotation: Sendable {
    public let path: String
    public let overwrite: Bool
    /// PNG for `.png`, else JPEG (`.jpg`, `.jpeg`).
    public let png: Bool

    /// Refuses (usage) an OUT whose extension is neither JPEG nor PNG.
    public init(path: String, overwrite: Bool) throws(VQError) {
        let ext = PathText.fileExtension(path).lowercased()
        guard ["jpg", "jpeg", "png"].contains(ext) else {
            throw VQError(.usage, "invalid value '\(path)' for '--annotate': name a .jpg, .jpeg or .png file (the format follows the extension)")
        }
        self.path = path
        self.overwrite = overwrite
        png = ext == "png"
    }

    /// Fails before anything is sent when the picture could not be saved: OUT exists (without `--overwrite`) or is a
    /// directory, or its folder is missing.
    public func checkBeforeSending() throws(VQError) {
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory { throw VQError(.cannotCreate, "\(path): --annotate names a directory") }
            if !overwrite {
                throw VQError(.cannotCreate, "\(path): already exists; vq never overwrites files (remove it, choose another --annotate, or add --overwrite)")
            }
        }
        let folder = AtomicFile.parent(of: path)
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory else {
            throw VQError(.cannotCreate, "\(path): cannot create: no directory \(folder)")
        }
    }

    /// Draws `detections` onto `original` (the bytes the user gave), whose displayed size must be `frame.displayed`,
    /// and saves the picture.
    public func save(_ detections: [Detection], on original: Data, frame: SentImageFrame) throws(VQError) {
        let image: DecodedImage
        do { image = try ImageDecoder.decodeUpright(original) } catch { throw VQError(.badInput, "\(path): cannot draw on the image: \(error.message)") }
        try save(detections, drawnOn: image, frame: frame)
    }

    /// Draws `detections` onto `image` (the original as displayed, `frame.displayed` in size) and saves the picture.
    func save(_ detections: [Detection], drawnOn image: DecodedImage, frame: SentImageFrame) throws(VQError) {
        guard image.width == frame.displayed.width && image.height == frame.displayed.height else {
            throw VQError(
                .badInput, "\(path): the image now decodes at \(image.width)x\(image.height), not the \(frame.displayed) the boxes are in (did it change?)")
        }
        var canvas = ImageCanvas(image)
        Self.draw(detections, on: &canvas)
        let data: Data
        do { data = try canvas.encoded(png: png) } catch { throw VQError(.cannotCreate, "\(path): \(error.message)") }
        if overwrite {
            try AtomicFile.replace(path, with: data, noun: " annotated image")
        } else if try !AtomicFile.create(path, with: data, noun: " annotated image") {
            throw VQError(.cannotCreate, "\(path): already exists; vq never overwrites files (nothing written; add --overwrite to replace it)")
        }
    }

    /// Masks tinted, boxes outlined (or points as discs), each with its label (and score) on a tab of its colour;
    /// line width and lettering grow with the picture (2 px and 5x7 letters at scale 2 up to 800 px).
    static func draw(_ detections: [Detection], on canvas: inout ImageCanvas) {
        let longer = max(canvas.width, canvas.height)
        let thickness = max(2, longer / 400)
        let scale = max(2, longer / 400)
        var labels: [String] = []
        for detection in detections where !labels.contains(detection.label) { labels.append(detection.label) }
        for detection in detections {
            let color = DetectionPalette.color(labels.firstIndex(of: detection.label) ?? 0)
            let text = detection.label + (detection.score.map { " \(DecimalText.fixed($0, places: 2))" } ?? "")
            let anchor: (x: Int, y: Int)
            if let box = detection.box {
                let (left, top) = (Int(box.xMin.rounded()), Int(box.yMin.rounded()))
                let (right, bottom) = (Int(box.xMax.rounded()), Int(box.yMax.rounded()))
                if let mask = detection.mask {
                    canvas.tint(mask: mask.pixels, maskWidth: mask.width, maskHeight: mask.height, left: mask.left, top: mask.top, color: color, opacity: 0.45)
                }
                canvas.stroke(left: left, top: top, right: right, bottom: bottom, thickness: thickness, color: color)
                anchor = (left, top)
            } else if let point = detection.point {
                let (x, y) = (Int(point.x.rounded()), Int(point.y.rounded()))
                canvas.disc(x: x, y: y, radius: thickness * 3 + 1, color: .white)
                canvas.disc(x: x, y: y, radius: thickness * 3, color: color)
                anchor = (x + thickness * 4, y)
            } else {
                continue
            }
            let (tabWidth, tabHeight) = (BitmapFont.width(of: text, scale: scale) + 2 * scale, (BitmapFont.glyphHeight + 2) * scale)
            // Above the box where there is room, else inside its top edge; kept within the picture.
            let tabLeft = max(0, min(anchor.x, canvas.width - tabWidth))
            let tabTop = anchor.y - tabHeight >= 0 ? anchor.y - tabHeight : max(0, min(anchor.y, canvas.height - tabHeight))
            canvas.fill(left: tabLeft, top: tabTop, right: tabLeft + tabWidth, bottom: tabTop + tabHeight, color: color)
            canvas.text(text, x: tabLeft + scale, y: tabTop + scale, scale: scale, color: color.contrasting)
        }
    }
}
