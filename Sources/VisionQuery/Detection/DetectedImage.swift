import FoundationEssentials
import Platform

/// One image's detections as the formats write them: the image as the user named it, its displayed size (the frame
/// of every coordinate) and the objects.
public struct DetectedImage: Sendable, Equatable {
    public var image: String
    public var width: Int
    public var height: Int
    public var detections: [Detection]

    public init(image: String, width: Int, height: Int, detections: [Detection]) {
        (self.image, self.width, self.height, self.detections) = (image, width, height, detections)
    }

    /// The object `vq detect` prints for it: the image, its displayed size, the convention, the model, the objects.
    public func jsonObject(coordinates: CoordinateConvention, model: String?) -> [String: Any] {
        [
            "image": image, "width": width, "height": height, "coordinates": coordinates.name, "model": model ?? JSONNull(),
            "objects": detections.map(\.jsonObject),
        ]
    }

    /// Read back from the object `vq detect` prints (a batch journal's `output`); nil when it is not one.
    public init?(image: String, json: [String: Any]) {
        guard let width = json["width"] as? Int, let height = json["height"] as? Int, let objects = json["objects"] as? [[String: Any]] else {
            return nil
        }
        var detections: [Detection] = []
        for object in objects {
            guard let label = object["label"] as? String else { return nil }
            var detection = Detection(label: label, score: JSONValue.exactNumber(object["score"]))
            if let box = Self.numbers(object["box"]), box.count == 4 {
                detection.box = DetectionBox(xMin: box[0], yMin: box[1], xMax: box[2], yMax: box[3])
            } else if let point = Self.numbers(object["point"]), point.count == 2 {
                detection.point = (point[0], point[1])
            } else {
                return nil
            }
            detections.append(detection)
        }
        self.init(image: image, width: width, height: height, detections: detections)
    }

    /// A JSON array of numbers (whole ones are read as Int) as Doubles; nil when anything else is in it.
    private static func numbers(_ value: Any?) -> [Double]? {
        guard let items = value as? [Any] else { return nil }
        let numbers = items.compactMap(JSONValue.exactNumber)
        return numbers.count == items.count ? numbers : nil
    }
}
