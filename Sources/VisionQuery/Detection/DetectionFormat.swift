import FoundationEssentials
import TextFormatting

/// How `vq detect` and `vq batch detect` write what they found (`--format`).
public enum DetectionFormat: String, CaseIterable, Sendable {
    /// vq's object: image, width, height, coordinates, model, objects (one line per image in a batch).
    case json
    /// A COCO document: images, annotations with `bbox` `[x, y, width, height]`, categories.
    case coco
    /// YOLO label lines `class cx cy w h`, normalised to the image's size, with a classes file.
    case yolo
    /// RFC 4180 rows `image,label,score,xmin,ymin,xmax,ymax` (`x,y` for points).
    case csv
}

/// The writers of each `DetectionFormat` beyond vq's own JSON.
public enum DetectionExport {
    /// YOLO's label file for one image: one line per box, `class cx cy w h` on 0-1 (six decimals).
    public static func yolo(_ image: DetectedImage, classes: DetectionClasses) throws(VQError) -> String {
        var text = ""
        for detection in image.detections {
            guard let box = detection.box else { continue }
            let (w, h) = (Double(image.width), Double(image.height))
            let numbers = [(box.xMin + box.xMax) / 2 / w, (box.yMin + box.yMax) / 2 / h, (box.xMax - box.xMin) / w, (box.yMax - box.yMin) / h]
            text += "\(try classes.id(for: detection.label)) " + numbers.map { DecimalText.fixed(min(1, max(0, $0)), places: 6) }.joined(separator: " ") + "\n"
        }
        return text
    }

    /// A COCO document for `images` (ids from 1 in order); category ids are the class ids plus 1, so they match the
    /// YOLO classes of the same run. A point becomes a one-keypoint annotation.
    public static func coco(_ images: [DetectedImage], classes: DetectionClasses) throws(VQError) -> [String: Any] {
        var entries: [[String: Any]] = []
        var annotations: [[String: Any]] = []
        for (index, image) in images.enumerated() {
            entries.append(["id": index + 1, "file_name": image.image, "width": image.width, "height": image.height])
            for detection in image.detections {
                var annotation: [String: Any] = [
                    "id": annotations.count + 1, "image_id": index + 1, "category_id": try classes.id(for: detection.label) + 1, "iscrowd": 0,
                ]
                if let box = detection.box {
                    let (w, h) = (box.xMax - box.xMin, box.yMax - box.yMin)
                    annotation["bbox"] = [box.xMin, box.yMin, w, h].map(rounded)
                    annotation["area"] = rounded(w * h)
                } else if let point = detection.point {
                    annotation["keypoints"] = [rounded(point.x), rounded(point.y), 2]
                    annotation["num_keypoints"] = 1
                }
                if let score = detection.score { annotation["score"] = score }
                if let path = detection.mask?.path { annotation["mask"] = path }
                annotations.append(annotation)
            }
        }
        let categories = classes.all.enumerated().map { ["id": $0.offset + 1, "name": $0.element, "supercategory": ""] as [String: Any] }
        return ["images": entries, "annotations": annotations, "categories": categories]
    }

    /// The CSV header: boxes or points, and an `error` column in a batch (where an image can fail).
    public static func csvHeader(points: Bool, errors: Bool) -> Data {
        BatchCSV.row(["image", "label", "score"] + (points ? ["x", "y"] : ["xmin", "ymin", "xmax", "ymax"]) + (errors ? ["error"] : []))
    }

    /// One row per object (whole pixels); with `error`, one row saying it, and with `errors` an empty row for an image
    /// where nothing was found, so every image is listed.
    public static func csvRows(_ image: DetectedImage, points: Bool, errors: Bool, error: String? = nil, neutralisingFormulas: Bool) -> Data {
        func cell(_ text: String) -> String { CSVCell.safe(text, neutralisingFormulas: neutralisingFormulas) }
        let blanks = [String](repeating: "", count: points ? 4 : 6)
        if let error { return BatchCSV.row([cell(image.image)] + blanks + [cell(error)]) }
        if image.detections.isEmpty { return errors ? BatchCSV.row([cell(image.image)] + blanks + [""]) : Data() }
        var data = Data()
        for detection in image.detections {
            let coordinates =
                detection.box.map { [$0.xMin, $0.yMin, $0.xMax, $0.yMax] } ?? detection.point.map { [$0.x, $0.y] } ?? []
            let score = detection.score.map { String($0) } ?? ""
            data += BatchCSV.row([cell(image.image), cell(detection.label), score] + coordinates.map { String(Int($0.rounded())) } + (errors ? [""] : []))
        }
        return data
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
