import Foundation
import Imaging
import TestSupport
import XCTest

/// `vq batch detect` as a dataset pre-labeller, through the binary against the Gemini stub (which finds the red box
/// in each image it receives): a YOLO label file per image mirroring its path, one classes file whose ids never
/// change (across a resumed run and across shards writing into one folder), a failed image's error in its journal
/// line and no label file for it, and COCO and CSV files written whole from the journal.
final class BatchDetectEndToEndTests: EndToEndCase {
    static let rect = DetectionImages.Rect(left: 60, top: 40, right: 180, bottom: 120)
    /// (relative path, EXIF orientation); every image 320x240 stored.
    static let photos = [("a/1.jpg", 6), ("a/2.jpg", 1), ("b/3.jpg", 8)]

    /// A stub answering each image's red box under `label`; a square image (stands for one the model gets wrong) is
    /// answered with a box outside the image.
    private func server(label: String = "red box") throws -> GeminiStubServer {
        try GeminiStubServer { images in
            guard let data = images.first, let found = try? DetectionImages.findRed(in: data) else { return "no image" }
            if found.width == found.height { return #"{"objects": [{"label": "x", "box_2d": [0, 0, 10, 2000]}]}"# }
            return ((try? DetectionImages.geminiAnswer(for: data)) ?? "").replacingOccurrences(of: "red box", with: label)
        }
    }

    private func run(_ server: GeminiStubServer, _ arguments: [String]) throws -> VQProcess.Result {
        try vq(["batch", "detect"] + arguments, baseURL: server.baseURL, extraConfig: "api = \"gemini\"")
    }

    private func writePhotos() throws {
        for (path, orientation) in Self.photos {
            let url = directory.appendingPathComponent("images/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try DetectionImages.jpeg(width: 320, height: 240, rect: Self.rect, orientation: orientation).write(to: url)
        }
    }

    private func text(_ path: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8) }

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path) }

    /// The label line of `path` checked against where a viewer shows the red box, normalised.
    private func assertLabel(_ path: String, orientation: Int, classID: String, line: UInt = #line) throws {
        let fields = try text("labels/" + path.replacingOccurrences(of: ".jpg", with: ".txt")).split(separator: "\n").map { $0.split(separator: " ") }
        XCTAssertEqual(fields.count, 1, path, line: line)
        XCTAssertEqual(fields.first?.first.map(String.init), classID, path, line: line)
        let shown = DetectionImages.displayed(Self.rect, width: 320, height: 240, orientation: orientation)
        let (w, h) = orientation >= 5 ? (240.0, 320.0) : (320.0, 240.0)
        let want = [(shown.left + shown.right) / 2 / w, (shown.top + shown.bottom) / 2 / h, (shown.right - shown.left) / w, (shown.bottom - shown.top) / h]
        let got = fields.first?.dropFirst().compactMap { Double($0) } ?? []
        XCTAssertEqual(got.count, 4, path, line: line)
        for (value, expected) in zip(got, want) { XCTAssertEqual(value, expected, accuracy: 0.02, "\(path): \(got) vs \(want)", line: line) }
    }

    func testYOLODatasetResumedAfterAFailureKeepsEveryClassID() throws {
        try writePhotos()
        let square = directory.appendingPathComponent("images/b/4.jpg")
        try DetectionImages.jpeg(width: 200, height: 200, rect: Self.rect, orientation: 1).write(to: square)
        let first = try run(try server(), ["the red box", "images", "--format", "yolo", "--out", "labels"])
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertEqual(first.stdout, "", "the lines go to the journal in the labels folder")
        for (path, orientation) in Self.photos { try assertLabel(path, orientation: orientation, classID: "0") }
        XCTAssertEqual(try text("labels/classes.txt"), "red box\n")
        XCTAssertFalse(exists("labels/b/4.txt"), "no label file for the image whose answer was no detection")
        let journal = records(try text("labels/detections.jsonl"))
        XCTAssertEqual(journal.count, 4)
        let failed = try XCTUnwrap(journal.first { ($0["key"] as? String) == "b/4.jpg" })
        XCTAssertTrue((failed["error"] as? String)?.contains("not a valid detection: objects[0].box_2d") == true, "\(failed)")
        let good = try XCTUnwrap(journal.first { ($0["key"] as? String) == "a/1.jpg" })
        let output = try XCTUnwrap(good["output"] as? [String: Any])
        XCTAssertEqual(output["labels"] as? String, "labels/a/1.txt")
        XCTAssertEqual([output["width"] as? Int, output["height"] as? Int], [240, 320])

        // The model now calls things differently; the resumed run only asks about the failed image, and the new
        // label gets the next id while the earlier files keep theirs.
        try FileManager.default.removeItem(at: square)
        try DetectionImages.jpeg(width: 300, height: 200, rect: Self.rect, orientation: 1).write(to: square)
        let labelled = try text("labels/a/1.txt")
        let stub = try server(label: "crimson square")
        let resumed = try run(stub, ["the red box", "images", "--format", "yolo", "--out", "labels", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(stub.requests.count, 1, "only the failed image is asked again")
        XCTAssertEqual(try text("labels/classes.txt"), "red box\ncrimson square\n")
        XCTAssertEqual(try text("labels/a/1.txt"), labelled)
        let relabelled = try text("labels/b/4.txt")
        XCTAssertTrue(relabelled.hasPrefix("1 "), relabelled)
        let lines = records(try text("labels/detections.jsonl"))
        XCTAssertEqual(lines.count, 4, "one line per image, the failed one replaced")
        XCTAssertTrue(lines.allSatisfy { $0["error"] is NSNull })
    }

    func testShardsLabelIntoOneFolderWithOneClassList() throws {
        try writePhotos()
        let stub = try server()
        for shard in ["0/2", "1/2"] {
            let result = try run(stub, ["the red box", "images", "--format", "yolo", "--out", "labels", "--shard", shard])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertEqual(stub.requests.count, Self.photos.count, "each image in one shard")
        for (path, orientation) in Self.photos { try assertLabel(path, orientation: orientation, classID: "0") }
        XCTAssertEqual(try text("labels/classes.txt"), "red box\n")
        let journals = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("labels").path).filter { $0.hasSuffix(".jsonl") }
        XCTAssertEqual(Set(journals), ["detections.shard-0-of-2.jsonl", "detections.shard-1-of-2.jsonl"])
    }

    func testALabelFileThatExistsIsKeptAndItsImageFails() throws {
        try writePhotos()
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("labels/a"), withIntermediateDirectories: true)
        try "5 0.5 0.5 0.1 0.1\n".write(to: directory.appendingPathComponent("labels/a/2.txt"), atomically: true, encoding: .utf8)
        let result = try run(try server(), ["the red box", "images", "--format", "yolo", "--out", "labels"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("labels/a/2.txt: exists; not overwritten (use --overwrite)"), result.stderr)
        XCTAssertEqual(try text("labels/a/2.txt"), "5 0.5 0.5 0.1 0.1\n")
        let again = try run(try server(), ["the red box", "images", "--format", "yolo", "--out", "labels", "--resume", "--overwrite"])
        XCTAssertEqual(again.status, 0, again.stderr)
        try assertLabel("a/2.jpg", orientation: 1, classID: "0")
    }

    func testAnnotatedPicturesMirrorThePathsAndNeverReplaceAFile() throws {
        try writePhotos()
        let pixels = DetectionImages.pixels(width: 320, height: 240, rect: Self.rect)
        let png = try ImageEncoder.encodePNG(pixels: pixels, width: 320, height: 240, channels: 3)
        try png.write(to: directory.appendingPathComponent("images/b/5.png"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("drawn/b"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: directory.appendingPathComponent("drawn/b/3.jpg"))
        let result = try run(try server(), ["the red box", "images", "--format", "yolo", "--out", "labels", "--annotate", "drawn"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("drawn/b/3.jpg: exists; not overwritten (use --overwrite)"), result.stderr)
        XCTAssertEqual(try text("drawn/b/3.jpg"), "mine", "a file vq did not write is kept")
        XCTAssertFalse(exists("labels/b/3.txt"), "the refused picture's image gets no label either")
        for (path, orientation) in Self.photos where path != "b/3.jpg" {
            let image = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("drawn/" + path)))
            let (w, h) = orientation >= 5 ? (240, 320) : (320, 240)
            XCTAssertEqual([image.width, image.height], [w, h], "\(path): the original as displayed")
        }
        let journal = records(try text("labels/detections.jsonl"))
        let drawn = try XCTUnwrap(journal.first { ($0["key"] as? String) == "b/5.png" }?["output"] as? [String: Any])
        XCTAssertEqual(drawn["annotated"] as? String, "drawn/b/5.png")
        // A PNG original is drawn as a PNG: the box's left edge, half-way down, is exactly the first label colour.
        let image = try ImageDecoder.decodeRGB(try Data(contentsOf: directory.appendingPathComponent("drawn/b/5.png")))
        let box = try XCTUnwrap((drawn["objects"] as? [[String: Any]])?.first?["box"] as? [Int])
        XCTAssertEqual(Array(image.pixel(x: box[0], y: (box[1] + box[3]) / 2)), [31, 119, 180])
        XCTAssertEqual(Array(image.pixel(x: (box[0] + box[2]) / 2, y: (box[1] + box[3]) / 2)).first, 220, "inside untouched")

        let again = try run(try server(), ["the red box", "images", "--format", "yolo", "--out", "labels", "--annotate", "drawn", "--resume", "--overwrite"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(ImageSniffer.sniff(try Data(contentsOf: directory.appendingPathComponent("drawn/b/3.jpg"))), .image(.jpeg))
        try assertLabel("b/3.jpg", orientation: 8, classID: "0")

        let plain = try vq(["batch", "--annotate", "d", "Describe", "images"], baseURL: try server().baseURL, extraConfig: "api = \"gemini\"")
        XCTAssertEqual(plain.status, 64, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("'--annotate' applies to 'vq batch detect'"), plain.stderr)
    }

    func testCOCOAndCSVAreWrittenWholeFromTheJournal() throws {
        try writePhotos()
        try DetectionImages.jpeg(width: 200, height: 200, rect: Self.rect, orientation: 1).write(to: directory.appendingPathComponent("images/b/4.jpg"))
        let coco = try run(try server(), ["the red box", "images", "--format", "coco", "--out", "dets.json"])
        XCTAssertEqual(coco.status, 1, coco.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try text("dets.json").utf8)) as? [String: Any])
        let images = try XCTUnwrap(document["images"] as? [[String: Any]])
        XCTAssertEqual(Set(images.compactMap { $0["file_name"] as? String }), ["a/1.jpg", "a/2.jpg", "b/3.jpg"])
        let annotations = try XCTUnwrap(document["annotations"] as? [[String: Any]])
        XCTAssertEqual(annotations.count, 3)
        let rotated = try XCTUnwrap(images.first { $0["file_name"] as? String == "a/1.jpg" })
        XCTAssertEqual(rotated["width"] as? Int, 240)
        let bbox = try XCTUnwrap(annotations.first { $0["image_id"] as? Int == rotated["id"] as? Int }?["bbox"] as? [Double])
        let shown = DetectionImages.displayed(Self.rect, width: 320, height: 240, orientation: 6)
        for (got, want) in zip(bbox, [shown.left, shown.top, shown.right - shown.left, shown.bottom - shown.top]) {
            XCTAssertEqual(got, want, accuracy: 4, "\(bbox)")
        }
        XCTAssertEqual((document["categories"] as? [[String: Any]])?.map { $0["name"] as? String }, ["red box"])
        XCTAssertTrue(exists("dets.json.jsonl"), "the journal --resume reads")
        let rerun = try run(try server(), ["the red box", "images", "--format", "coco", "--out", "dets.json"])
        XCTAssertEqual(rerun.status, 73, rerun.stderr)

        let csv = try run(try server(), ["the red box", "images", "--format", "csv", "--out", "dets.csv"])
        XCTAssertEqual(csv.status, 1, csv.stderr)
        let rows = try text("dets.csv").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.first, "image,label,score,xmin,ymin,xmax,ymax,error")
        XCTAssertEqual(rows.count, 5, "\(rows)")
        XCTAssertTrue(rows.contains { $0.hasPrefix("b/4.jpg,,,,,,,") && $0.contains("not a valid detection") }, "\(rows)")
        XCTAssertTrue(rows.contains("a/2.jpg,red box,0.9,60,40,180,120,"), "\(rows)")
    }

    func testJSONLinesOnStandardOutputByDefault() throws {
        try writePhotos()
        let result = try run(try server(), ["the red box", "images/a"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = records(result.stdout)
        XCTAssertEqual(lines.count, 2)
        let output = try XCTUnwrap(lines.first { $0["key"] as? String == "2.jpg" }?["output"] as? [String: Any])
        let box = try XCTUnwrap((output["objects"] as? [[String: Any]])?.first?["box"] as? [Int])
        XCTAssertEqual(box.map(Double.init), [60, 40, 180, 120].map(Double.init))
        XCTAssertEqual(output["coordinates"] as? String, "gemini")
    }

    func testDetectOptionsThatCannotApplyAreRefusedBeforeSending() throws {
        try writePhotos()
        let stub = try server()
        for (arguments, fragment) in [
            (["the red box", "images", "--format", "yolo"], "needs '--out DIR'"),
            (["the red box", "images", "--per-request", "2"], "'--per-request' cannot be used with 'vq batch detect'"),
            (["the red box", "images", "--points", "--format", "yolo", "--out", "l"], "'--format yolo' writes boxes"),
        ] {
            let result = try run(stub, arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(fragment), result.stderr)
        }
        let plain = try vq(["batch", "--classes", "c.txt", "Describe", "images"], baseURL: stub.baseURL, extraConfig: "api = \"gemini\"")
        XCTAssertEqual(plain.status, 64, plain.stderr)
        XCTAssertTrue(stub.requests.isEmpty)
    }
}
