import FoundationEssentials
import Imaging
import Platform

/// Reads an object's segmentation mask as Gemini gives it (a base64 PNG, usually a `data:image/png;base64,` URL, of a
/// probability map 0-255 covering the box as the model saw it) into the original's displayed pixels: every pixel of
/// the displayed box is traced back through the EXIF turn and the shrink into the sent box, sampled in the map
/// scaled to that box, and kept where the probability is over 127.
enum DetectionMaskReader {
    static let prefix = "data:image/png;base64,"

    static func read(_ value: OrderedJSON?, at path: String, sentBox: DetectionBox, frame: SentImageFrame) throws(VQError) -> DetectionMask {
        guard case .string(let text)? = value else { throw invalid("\(path) has no \"mask\" text") }
        if text.hasPrefix("data:") && !text.hasPrefix(prefix) {
            throw invalid("\(path).mask is \(SchemaValidator.excerpt(.string(String(text.prefix(40))))), not a PNG data URL (\(prefix)...)")
        }
        let encoded = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
        guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters), ImageSniffer.sniff(data) == .image(.png) else {
            throw invalid("\(path).mask is not a base64-encoded PNG")
        }
        let map: DecodedImage
        do { map = try ImageDecoder.decodeRGB(data) } catch { throw invalid("\(path).mask: \(error.message)") }
        let box = frame.displayedBox(sentBox)
        let left = max(0, Int(box.xMin.rounded(.down)))
        let top = max(0, Int(box.yMin.rounded(.down)))
        let right = min(frame.displayed.width, Int(box.xMax.rounded(.up)))
        let bottom = min(frame.displayed.height, Int(box.yMax.rounded(.up)))
        let (width, height) = (max(0, right - left), max(0, bottom - top))
        var pixels = [UInt8](repeating: 0, count: width * height)
        let (boxWidth, boxHeight) = (sentBox.xMax - sentBox.xMin, sentBox.yMax - sentBox.yMin)
        guard boxWidth > 0, boxHeight > 0 else { return DetectionMask(left: left, top: top, width: 0, height: 0, pixels: []) }
        for row in 0..<height {
            for column in 0..<width {
                let sent = frame.sentPoint(x: Double(left + column) + 0.5, y: Double(top + row) + 0.5)
                let u = Int(((sent.x - sentBox.xMin) / boxWidth * Double(map.width)).rounded(.down))
                let v = Int(((sent.y - sentBox.yMin) / boxHeight * Double(map.height)).rounded(.down))
                guard (0..<map.width).contains(u), (0..<map.height).contains(v) else { continue }
                if map.pixels[(v * map.width + u) * map.channels] > 127 { pixels[row * width + column] = 255 }
            }
        }
        return DetectionMask(left: left, top: top, width: width, height: height, pixels: pixels)
    }

    private static func invalid(_ reason: String) -> VQError { VQError(.nonConforming, "not a valid detection: \(reason)") }
}
