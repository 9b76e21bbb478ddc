import FoundationEssentials
import Imaging
import Platform

/// Reads a model's detection answer: every entry checked (label, the convention's key with the right count of
/// numbers inside the frame, ordered corners, a score from 0 to 1), then mapped from the model's frame to the sent
/// image and on to the displayed original. Anything else is exit 79 naming the entry and the reason.
public enum DetectionAnswer {
    public static func read(_ text: String, prompt: DetectionPrompt, frame: SentImageFrame) throws(VQError) -> [Detection] {
        let document: OrderedJSON
        do {
            document = try OrderedJSON.parse(StructuredAnswer.unfenced(text))
        } catch {
            throw invalid("the answer is not JSON: \(error.message) at byte \(error.offset)")
        }
        let entries: [OrderedJSON]
        switch document {
        case .array(let items): entries = items
        case .object(let members):
            guard let objects = members.first(where: { $0.key == "objects" })?.value, case .array(let items) = objects else {
                throw invalid("the answer has no \"objects\" list")
            }
            entries = items
        default: throw invalid("the answer is not a JSON object with an \"objects\" list")
        }
        let modelFrame = prompt.convention.modelFrame(sent: frame.sent)
        var detections: [Detection] = []
        for (index, entry) in entries.enumerated() {
            detections.append(try detection(entry, at: "objects[\(index)]", prompt: prompt, modelFrame: modelFrame, frame: frame))
        }
        return detections
    }

    private static func detection(
        _ entry: OrderedJSON, at path: String, prompt: DetectionPrompt, modelFrame: (width: Double, height: Double), frame: SentImageFrame
    ) throws(VQError) -> Detection {
        guard case .object(let members) = entry else { throw invalid("\(path) is not an object") }
        func member(_ key: String) -> OrderedJSON? { members.first { $0.key == key }?.value }
        guard case .string(let label)? = member("label"), !label.isEmpty else { throw invalid("\(path) has no \"label\" text") }
        let key = prompt.coordinateKey
        guard case .array(let items)? = member(key) else { throw invalid("\(path) has no \"\(key)\" list") }
        var numbers: [Double] = []
        for item in items {
            guard case .number(let text) = item, let value = Double(text), value.isFinite else {
                throw invalid("\(path).\(key) holds \(SchemaValidator.excerpt(item)), not a number")
            }
            numbers.append(value)
        }
        guard numbers.count == prompt.coordinateCount else {
            throw invalid("\(path).\(key) has \(numbers.count) numbers; \(prompt.coordinateCount) expected")
        }
        var score: Double?
        if let value = member("score"), value != .null {
            guard case .number(let text) = value, let number = Double(text), (0...1).contains(number) else {
                throw invalid("\(path).score is \(SchemaValidator.excerpt(value)), not a number from 0 to 1")
            }
            score = number
        }
        // (x, y) pairs in the model's order, checked against its frame, then scaled to the sent image.
        let convention = prompt.convention
        var points: [(x: Double, y: Double)] = []
        for pair in stride(from: 0, to: numbers.count, by: 2) {
            let (x, y) = convention.yFirst ? (numbers[pair + 1], numbers[pair]) : (numbers[pair], numbers[pair + 1])
            guard (0...modelFrame.width).contains(x), (0...modelFrame.height).contains(y) else {
                throw invalid(
                    "\(path).\(key) \(text(numbers)) lies outside the image (\(convention.name) coordinates run 0-\(Int(modelFrame.width)) across, 0-\(Int(modelFrame.height)) down)"
                )
            }
            points.append((x * Double(frame.sent.width) / modelFrame.width, y * Double(frame.sent.height) / modelFrame.height))
        }
        if points.count == 1 {
            return Detection(label: label, point: frame.displayedPoint(x: points[0].x, y: points[0].y), score: score)
        }
        guard points[0].x <= points[1].x, points[0].y <= points[1].y else {
            throw invalid("\(path).\(key) \(text(numbers)) is not \(convention.boxOrder): a minimum is past its maximum")
        }
        let box = DetectionBox(xMin: points[0].x, yMin: points[0].y, xMax: points[1].x, yMax: points[1].y)
        let mask = prompt.masks ? try DetectionMaskReader.read(member("mask"), at: path, sentBox: box, frame: frame) : nil
        return Detection(label: label, box: frame.displayedBox(box), score: score, mask: mask)
    }

    private static func text(_ numbers: [Double]) -> String {
        "[" + numbers.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }.joined(separator: ", ") + "]"
    }

    private static func invalid(_ reason: String) -> VQError {
        VQError(.nonConforming, "not a valid detection: \(reason)")
    }
}
