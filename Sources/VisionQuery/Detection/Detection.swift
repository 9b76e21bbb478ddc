/// One object found, in the original image's displayed pixels: its label, box or point, and the model's score.
public struct Detection: Sendable, Equatable {
    public var label: String
    /// Set for `--points`: the point found (x, y); else `box` is set.
    public var point: (x: Double, y: Double)?
    public var box: DetectionBox?
    public var score: Double?
    /// With `--masks`: where the object is, pixel by pixel, within its box.
    public var mask: DetectionMask?

    public init(
        label: String, box: DetectionBox? = nil, point: (x: Double, y: Double)? = nil, score: Double? = nil, mask: DetectionMask? = nil
    ) {
        self.label = label
        self.box = box
        self.point = point
        self.score = score
        self.mask = mask
    }

    public static func == (lhs: Detection, rhs: Detection) -> Bool {
        lhs.label == rhs.label && lhs.box == rhs.box && lhs.point?.x == rhs.point?.x && lhs.point?.y == rhs.point?.y && lhs.score == rhs.score
            && lhs.mask == rhs.mask
    }

    /// The entry printed for it: `box` as `[xmin, ymin, xmax, ymax]` or `point` as `[x, y]`, whole pixels.
    public var jsonObject: [String: Any] {
        var object: [String: Any] = ["label": label]
        if let box { object["box"] = [box.xMin, box.yMin, box.xMax, box.yMax].map(Self.pixel) }
        if let point { object["point"] = [point.x, point.y].map(Self.pixel) }
        if let score { object["score"] = score }
        if let path = mask?.path { object["mask"] = path }
        return object
    }

    private static func pixel(_ value: Double) -> Int { Int(value.rounded()) }
}
