import Foundation
import Imaging
import TestSupport
import XCTest

/// What `vq detect` writes besides its JSON: `--annotate` (the picture read back pixel by pixel: box edges in the
/// first label's colour on the red box as a viewer shows the rotated original) and `--format coco|yolo|csv`.
final class DetectOutputEndToEndTests: EndToEndCase {
    static let (width, height) = (640, 480)
    static let rect = DetectionImages.Rect(left: 100, top: 60, right: 260, bottom: 200)
    /// The first label's colour (Tableau 10 blue), stated here rather than read from vq.
    static let firstColor: [UInt8] = [31, 119, 180]

    private func server() throws -> GeminiStubServer {
        try GeminiStubServer { images in (try? DetectionImages.geminiAnswer(for: images.first ?? Data())) ?? "no image" }
    }

    private func detect(_ server: GeminiStubServer, _ arguments: [String]) throws -> VQProcess.Result {
        try vq(["detect"] + arguments, baseURL: server.baseURL, extraConfig: "api = \"gemini\"")
    }

    /// A phone-style photo: stored 640x480 with EXIF orientation 6 (shown 480x640), shrunk to 160 on the way.
    private func photo(orientation: Int = 6) throws -> DetectionImages.Rect {
        let file = try DetectionImages.jpeg(width: Self.width, height: Self.height, rect: Self.rect, orientation: orientation)
        try file.write(to: directory.appendingPathComponent("photo.jpg"))
        return DetectionImages.displayed(Self.rect, width: Self.width, height: Self.height, orientation: orientation)
    }

    private func near(_ pixel: ArraySlice<UInt8>, _ color: [UInt8], tolerance: Int) -> Bool {
        zip(pixel.prefix(3), color).allSatisfy { abs(Int($0) - Int($1)) <= tolerance }
    }

    func testAnnotatedPNGHasTheBoxEdgesInTheLabelsColourOnTheDisplayedShape() throws {
        let stub = try server()
        let expected = try photo()
        let result = try detect(stub, ["--max-side", "160", "--annotate", "boxes.png", "the red box", "photo.jpg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["annotated"] as? String, "boxes.png")
        let data = try Data(contentsOf: directory.appendingPathComponent("boxes.png"))
        XCTAssertEqual(ImageSniffer.sniff(data), .image(.png))
        let image = try ImageDecoder.decodeRGB(data)
        XCTAssertEqual([image.width, image.height], [Self.height, Self.width], "drawn on the original as displayed, full size")
        let box = try XCTUnwrap((object["objects"] as? [[String: Any]])?.first?["box"] as? [Int])
        let (midX, midY) = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        // Each edge, half-way along it, one pixel inside the box: the label's colour; the box edges land on the shape.
        for (x, y) in [(box[0], midY), (box[2] - 1, midY), (midX, box[3] - 1)] {
            XCTAssertTrue(near(image.pixel(x: x, y: y), Self.firstColor, tolerance: 0), "(\(x), \(y)): \(Array(image.pixel(x: x, y: y)))")
        }
        XCTAssertEqual(Double(box[0]), expected.left, accuracy: 8)
        XCTAssertEqual(Double(box[3]), expected.bottom, accuracy: 8)
        // Inside the box the shape is untouched (red, within JPEG's error); outside, the white background.
        XCTAssertTrue(near(image.pixel(x: midX, y: midY), [220, 20, 20], tolerance: 12), "\(Array(image.pixel(x: midX, y: midY)))")
        XCTAssertTrue(near(image.pixel(x: box[2] + 12, y: midY), [255, 255, 255], tolerance: 12))
        // The label's tab sits above the box in the same colour, with lettering in white or black on it.
        let tab = (box[1] - 10..<box[1]).flatMap { y in (box[0]..<box[0] + 60).map { image.pixel(x: $0, y: y) } }
        XCTAssertGreaterThan(tab.filter { near($0, Self.firstColor, tolerance: 0) }.count, tab.count / 3)
        XCTAssertTrue(tab.contains { near($0, [255, 255, 255], tolerance: 0) || near($0, [0, 0, 0], tolerance: 0) }, "no lettering")
    }

    func testAnnotatedJPEGAndNoOverwriteWithoutTheOption() throws {
        let stub = try server()
        _ = try photo(orientation: 8)
        let first = try detect(stub, ["--annotate", "boxes.jpg", "the red box", "photo.jpg"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let path = directory.appendingPathComponent("boxes.jpg").path
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(ImageSniffer.sniff(data), .image(.jpeg))
        let box = try XCTUnwrap(
            ((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["objects"] as? [[String: Any]])?.first?["box"] as? [Int])
        let image = try ImageDecoder.decodeRGB(data)
        XCTAssertTrue(near(image.pixel(x: box[0], y: (box[1] + box[3]) / 2), Self.firstColor, tolerance: 24))

        let requests = stub.requests.count
        let again = try detect(stub, ["--annotate", "boxes.jpg", "the red box", "photo.jpg"])
        XCTAssertEqual(again.status, 73, again.stderr)
        XCTAssertTrue(again.stderr.contains("boxes.jpg: already exists"), again.stderr)
        XCTAssertEqual(stub.requests.count, requests, "refused before anything was sent")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), data)

        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let replaced = try detect(stub, ["--annotate", "boxes.jpg", "--overwrite", "the red box", "photo.jpg"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual(ImageSniffer.sniff(try Data(contentsOf: URL(fileURLWithPath: path))), .image(.jpeg))

        let wrong = try detect(stub, ["--annotate", "boxes.gif", "the red box", "photo.jpg"])
        XCTAssertEqual(wrong.status, 64, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("--annotate"), wrong.stderr)
    }

    func testAnnotatingAnImageFromStandardInput() throws {
        let stub = try server()
        let file = try DetectionImages.jpeg(width: 200, height: 120, rect: .init(left: 20, top: 30, right: 90, bottom: 100), orientation: 1)
        let result = try vq(
            ["detect", "--annotate", "in.png", "the red box", "-"], baseURL: stub.baseURL, extraConfig: "api = \"gemini\"", stdin: file)
        XCTAssertEqual(result.status, 0, result.stderr)
        let image = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("in.png")))
        XCTAssertEqual([image.width, image.height], [200, 120])
        XCTAssertTrue(near(image.pixel(x: 20, y: 65), Self.firstColor, tolerance: 0), "\(Array(image.pixel(x: 20, y: 65)))")
    }

    func testYOLOLinesAreNormalisedToTheDisplayedImageAndTheClassesFileOnlyGrows() throws {
        let stub = try server()
        let expected = try photo()
        try "cat\n".write(to: directory.appendingPathComponent("classes.txt"), atomically: true, encoding: .utf8)
        let result = try detect(stub, ["--max-side", "160", "--format", "yolo", "--classes", "classes.txt", "the red box", "photo.jpg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let fields = result.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(fields.count, 1, result.stdout)
        XCTAssertEqual(fields.first?.first, "1", "'cat' keeps id 0; the new label is appended as 1")
        let numbers = try XCTUnwrap(fields.first?.dropFirst().compactMap { Double($0) })
        let (w, h) = (Double(Self.height), Double(Self.width))
        let want = [
            (expected.left + expected.right) / 2 / w, (expected.top + expected.bottom) / 2 / h, (expected.right - expected.left) / w,
            (expected.bottom - expected.top) / h,
        ]
        XCTAssertEqual(numbers.count, 4)
        for (got, value) in zip(numbers, want) { XCTAssertEqual(got, value, accuracy: 0.02, result.stdout) }
        XCTAssertEqual(try String(contentsOf: directory.appendingPathComponent("classes.txt"), encoding: .utf8), "cat\nred box\n")
    }

    func testCOCOAndCSV() throws {
        let stub = try server()
        _ = try photo(orientation: 1)
        let coco = try detect(stub, ["--format", "coco", "the red box", "photo.jpg"])
        XCTAssertEqual(coco.status, 0, coco.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(coco.stdout.utf8)) as? [String: Any])
        let image = try XCTUnwrap((document["images"] as? [[String: Any]])?.first)
        XCTAssertEqual(image["file_name"] as? String, "photo.jpg")
        XCTAssertEqual(image["width"] as? Int, Self.width)
        let annotation = try XCTUnwrap((document["annotations"] as? [[String: Any]])?.first)
        let bbox = try XCTUnwrap(annotation["bbox"] as? [Double])
        for (got, want) in zip(bbox, [Self.rect.left, Self.rect.top, Self.rect.right - Self.rect.left, Self.rect.bottom - Self.rect.top]) {
            XCTAssertEqual(got, want, accuracy: 4, "\(bbox)")
        }
        XCTAssertEqual(annotation["image_id"] as? Int, 1)
        let categories = try XCTUnwrap(document["categories"] as? [[String: Any]])
        XCTAssertEqual(categories.first?["name"] as? String, "red box")
        XCTAssertEqual(annotation["category_id"] as? Int, categories.first?["id"] as? Int)

        try DetectionImages.jpeg(width: 64, height: 64, rect: .init(left: 8, top: 8, right: 40, bottom: 40), orientation: 1)
            .write(to: directory.appendingPathComponent("=odd, \"name\".jpg"))
        let csv = try detect(stub, ["--format", "csv", "the red box", "=odd, \"name\".jpg"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(lines.first, "image,label,score,xmin,ymin,xmax,ymax")
        XCTAssertTrue(lines[1].hasPrefix(#""'=odd, ""name"".jpg",red box,0.9,"#), lines[1])
        XCTAssertEqual(lines[1].split(separator: ",").suffix(4).compactMap { Int($0) }.count, 4, lines[1])
    }

    func testYOLOWithPointsIsRefusedBeforeAnythingIsSent() throws {
        let stub = try server()
        _ = try photo()
        let result = try detect(stub, ["--points", "--format", "yolo", "the red box", "photo.jpg"])
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(stub.requests.isEmpty)
    }
}

/// `vq detect --masks`: the Gemini stub answers a segmentation mask (a box-sized probability map as a PNG data URL)
/// of the red L it finds in the image it received; the mask vq saves, in the rotated original's displayed pixels,
/// must be on where the L is shown and off in the rest of its box.
final class DetectMaskEndToEndTests: EndToEndCase {
    /// An L: a bar across the top and a leg down the left, in stored pixels of a 640x480 image.
    static let shape = [
        DetectionImages.Rect(left: 100, top: 60, right: 300, bottom: 120), DetectionImages.Rect(left: 100, top: 120, right: 160, bottom: 260),
    ]

    func testMasksLandOnTheShapeAsDisplayed() throws {
        let stub = try GeminiStubServer { images in (try? DetectionImages.geminiMaskAnswer(for: images.first ?? Data())) ?? "no image" }
        // Turned upright and shrunk before sending; or sent as stored (--no-resize), the turn applied to the answer.
        for (orientation, sending) in [(6, ["--max-side", "320"]), (7, ["--max-side", "320"]), (5, ["--no-resize"]), (8, ["--no-resize"])] {
            let name = "photo\(orientation).jpg"
            try DetectionImages.jpeg(width: 640, height: 480, shape: Self.shape, orientation: orientation).write(to: directory.appendingPathComponent(name))
            let result = try vq(
                ["detect", "--masks", "-o", "masks", "--annotate", "a\(orientation).png", "the red shape", name] + sending,
                baseURL: stub.baseURL, extraConfig: "api = \"gemini\"")
            XCTAssertEqual(result.status, 0, result.stderr)
            let object = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]))
            let entry = try XCTUnwrap((object["objects"] as? [[String: Any]])?.first)
            XCTAssertEqual(entry["mask"] as? String, "masks/photo\(orientation)-mask-1.png")
            let mask = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("masks/photo\(orientation)-mask-1.png")))
            XCTAssertEqual([mask.width, mask.height], [480, 640])
            let shown = Self.shape.map { DetectionImages.displayed($0, width: 640, height: 480, orientation: orientation) }
            let box = shown.dropFirst().reduce(shown[0]) {
                DetectionImages.Rect(left: min($0.left, $1.left), top: min($0.top, $1.top), right: max($0.right, $1.right), bottom: max($0.bottom, $1.bottom))
            }
            // Away from the edges (one map cell is about 5 original pixels, the JPEG blurs about 2 sent pixels).
            let margin = 10.0
            var (on, off, wrong) = (0, 0, [String]())
            for y in stride(from: 0, to: 640, by: 4) {
                for x in stride(from: 0, to: 480, by: 4) {
                    let (px, py) = (Double(x) + 0.5, Double(y) + 0.5)
                    let deepInside = shown.contains { px > $0.left + margin && px < $0.right - margin && py > $0.top + margin && py < $0.bottom - margin }
                    let farOutside = !shown.contains { px > $0.left - margin && px < $0.right + margin && py > $0.top - margin && py < $0.bottom + margin }
                    let value = mask.pixel(x: x, y: y).first!
                    if deepInside {
                        on += 1
                        if value != 255 { wrong.append("(\(x), \(y)) off inside the L") }
                    } else if farOutside {
                        if px > box.left && px < box.right && py > box.top && py < box.bottom { off += 1 }
                        if value != 0 { wrong.append("(\(x), \(y)) on outside the L") }
                    }
                }
            }
            XCTAssertGreaterThan(on, 100)
            XCTAssertGreaterThan(off, 100, "the box's corner away from the L was checked too")
            XCTAssertEqual(wrong, [], "orientation \(orientation)")
            // The annotated picture tints the L (translucent blue over red) but not the box's empty corner.
            let annotated = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("a\(orientation).png")))
            let inside = shown[1]
            let tinted = annotated.pixel(x: Int((inside.left + inside.right) / 2), y: Int((inside.top + inside.bottom) / 2))
            XCTAssertLessThan(Int(tinted[tinted.startIndex]), 200, "\(Array(tinted))")
            XCTAssertGreaterThan(Int(tinted[tinted.startIndex + 2]), 60, "\(Array(tinted))")
        }
        let body = try XCTUnwrap(stub.requests.last?.json() as? [String: Any])
        XCTAssertTrue("\(body)".contains("segmentation mask"), "the prompt asks for masks")
    }

    func testAMaskThatIsNoPNGExits79() throws {
        let stub = try GeminiStubServer { _ in #"{"objects": [{"label": "a", "box_2d": [10, 10, 500, 500], "mask": "<start_of_mask><seg_4>"}]}"# }
        try DetectionImages.jpeg(width: 64, height: 48, shape: Self.shape.map { _ in .init(left: 1, top: 1, right: 9, bottom: 9) }, orientation: 1)
            .write(to: directory.appendingPathComponent("p.jpg"))
        let result = try vq(["detect", "--masks", "the red shape", "p.jpg"], baseURL: stub.baseURL, extraConfig: "api = \"gemini\"")
        XCTAssertEqual(result.status, 79, result.stderr)
        XCTAssertTrue(result.stderr.contains("not a valid detection: objects[0].mask is not a base64-encoded PNG"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("p-mask-1.png").path))
    }
}

/// A PDF page as `vq detect`'s image: vq renders it (even for Gemini, which reads PDFs whole), the stub finds the red
/// box in the page it received, and the box comes back in the rendered page's pixels, with the page and the DPI.
final class DetectPDFEndToEndTests: EndToEndCase {
    /// A red box in a 612x792-pixel photo that fills a 612x792-point page: its place in points, top-down.
    static let rect = DetectionImages.Rect(left: 100, top: 300, right: 250, bottom: 420)

    private func pdf() throws -> Data {
        let photo = try ImageEncoder.encodeJPEG(
            pixels: DetectionImages.pixels(width: 612, height: 792, rect: Self.rect), width: 612, height: 792, channels: 3, quality: 95)
        return TestPDF.make([TestPDF.Page(text: "cover"), TestPDF.Page(photo: (photo, 612, 792))])
    }

    func testAPageComesBackInItsRenderedPixelsWithPageAndDPI() throws {
        let stub = try GeminiStubServer { images in (try? DetectionImages.geminiAnswer(for: images.first ?? Data())) ?? "no image" }
        try pdf().write(to: directory.appendingPathComponent("report.pdf"))
        let result = try vq(
            ["detect", "--pages", "2", "--max-side", "1000", "--annotate", "page.png", "the red box", "report.pdf"], baseURL: stub.baseURL,
            extraConfig: "api = \"gemini\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertEqual(object["page"] as? Int, 2)
        let (width, height) = (try XCTUnwrap(object["width"] as? Int), try XCTUnwrap(object["height"] as? Int))
        XCTAssertEqual(height, 1000, "rendered to fit --max-side")
        let scale = Double(height) / 792
        XCTAssertEqual(Double(width), 612 * scale, accuracy: 1)
        XCTAssertEqual(try XCTUnwrap(object["dpi"] as? Double), 72 * scale, accuracy: 0.1)
        let box = try XCTUnwrap((object["objects"] as? [[String: Any]])?.first?["box"] as? [Int], result.stdout)
        for (got, want) in zip(box, [Self.rect.left, Self.rect.top, Self.rect.right, Self.rect.bottom].map { $0 * scale }) {
            XCTAssertEqual(Double(got), want, accuracy: 4, "\(box)")
        }
        // The request carried the page as an image, not the PDF.
        let body = try XCTUnwrap(stub.requests.last?.json() as? [String: Any])
        XCTAssertFalse("\(body)".contains("application/pdf"))
        // The picture is the page at its rendered size with the box drawn on it.
        let image = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("page.png")))
        XCTAssertEqual([image.width, image.height], [width, height])
        let edge = image.pixel(x: box[0], y: (box[1] + box[3]) / 2)
        XCTAssertEqual(Array(edge), [31, 119, 180])
    }

    func testBatchDetectDrawsAPageOnTheRasterItSent() throws {
        let stub = try GeminiStubServer { images in (try? DetectionImages.geminiAnswer(for: images.first ?? Data())) ?? "no image" }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try pdf().write(to: directory.appendingPathComponent("docs/report.pdf"))
        let result = try vq(
            ["batch", "detect", "--pages", "2", "--max-side", "1000", "--annotate", "drawn", "the red box", "docs"], baseURL: stub.baseURL,
            extraConfig: "api = \"gemini\"")
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        let output = try XCTUnwrap(line["output"] as? [String: Any], result.stdout)
        XCTAssertEqual(output["annotated"] as? String, "drawn/report.png")
        let box = try XCTUnwrap((output["objects"] as? [[String: Any]])?.first?["box"] as? [Int], result.stdout)
        let image = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("drawn/report.png")))
        XCTAssertEqual([image.width, image.height], [output["width"] as? Int, output["height"] as? Int])
        XCTAssertEqual(image.height, 1000)
        XCTAssertEqual(Array(image.pixel(x: box[0], y: (box[1] + box[3]) / 2)), [31, 119, 180])
    }

    func testAPDFOfSeveralPagesNeedsOneChosenAndSendsNothingOtherwise() throws {
        let stub = try GeminiStubServer { _ in #"{"objects": []}"# }
        try pdf().write(to: directory.appendingPathComponent("report.pdf"))
        let result = try vq(["detect", "the red box", "report.pdf"], baseURL: stub.baseURL, extraConfig: "api = \"gemini\"")
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("report.pdf has 2 pages; it finds things in one image: choose one page with --pages N"), result.stderr)
        XCTAssertTrue(stub.requests.isEmpty)
    }
}

/// Qwen-VL behind an OpenAI-compatible server (vLLM, as most serve it): the stub answers Qwen2.5-VL's `bbox_2d` in the
/// pixels of its own resize of the image it received (with the server's max_pixels the profile states), and Qwen3-VL's
/// on 0-1000; both must land on the red box as a viewer shows the rotated original.
final class DetectQwenEndToEndTests: EndToEndCase {
    static let rect = DetectionImages.Rect(left: 100, top: 60, right: 260, bottom: 200)

    private func detect(_ server: OpenAIStubServer, config: String, orientation: Int) throws -> [Double] {
        try DetectionImages.jpeg(width: 640, height: 480, rect: Self.rect, orientation: orientation).write(to: directory.appendingPathComponent("p.jpg"))
        let result = try vq(["detect", "--max-side", "640", "the red box", "p.jpg"], server: server, extraConfig: config)
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        return try XCTUnwrap((object["objects"] as? [[String: Any]])?.first?["box"] as? [Int], result.stdout).map(Double.init)
    }

    private func assertOnTheBox(_ box: [Double], orientation: Int, line: UInt = #line) {
        let shown = DetectionImages.displayed(Self.rect, width: 640, height: 480, orientation: orientation)
        for (got, want) in zip(box, [shown.left, shown.top, shown.right, shown.bottom]) {
            XCTAssertEqual(got, want, accuracy: 6, "orientation \(orientation): \(box) vs \(shown)", line: line)
        }
    }

    func testQwen25AnswersInThePixelsOfItsOwnResizeWithTheProfilesMaxPixels() throws {
        // A server started with max_pixels 128x28x28: the 640x480 image becomes 364x280 inside the model.
        let maxPixels = 128 * 28 * 28
        let server = try OpenAIStubServer { images in
            (try? DetectionImages.qwen25Answer(for: images.first ?? Data(), maxPixels: Double(maxPixels))) ?? "no image"
        }
        for orientation in [1, 6] {
            let box = try detect(server, config: "detect_coordinates = \"qwen2.5\"\nqwen_max_pixels = \(maxPixels)", orientation: orientation)
            assertOnTheBox(box, orientation: orientation)
        }
        // Without the key vq assumes the checkpoint's 12,845,056 and scales wrongly by ~1.75: the key is what makes it right.
        let wrong = try detect(server, config: "detect_coordinates = \"qwen2.5\"", orientation: 1)
        XCTAssertGreaterThan(abs(wrong[2] - Self.rect.right), 40, "\(wrong)")
        let body = try XCTUnwrap(server.requests.last?.json() as? [String: Any])
        XCTAssertTrue("\(body)".contains("absolute pixel coordinates of the image as you received it"), "the prompt states Qwen2.5's unit")
    }

    func testQwen3AnswersOn0To1000() throws {
        let server = try OpenAIStubServer { images in (try? DetectionImages.qwen3Answer(for: images.first ?? Data())) ?? "no image" }
        for orientation in [1, 8] {
            assertOnTheBox(try detect(server, config: "detect_coordinates = \"qwen3\"", orientation: orientation), orientation: orientation)
        }
    }

    func testAnUpsideDownPixelRangeIsAConfigError() throws {
        let server = try OpenAIStubServer()
        try jpeg("a.jpg")
        let result = try vq(
            ["detect", "the red box", "a.jpg"], server: server, extraConfig: "qwen_min_pixels = 900000\nqwen_max_pixels = 800000")
        XCTAssertEqual(result.status, 78, result.stderr)
        XCTAssertTrue(result.stderr.contains("qwen_min_pixels 900000 is over qwen_max_pixels 800000"), result.stderr)
        XCTAssertTrue(server.requests.isEmpty)
    }
}
