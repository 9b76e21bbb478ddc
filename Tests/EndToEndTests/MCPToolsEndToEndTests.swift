import Foundation
import Imaging
import TestSupport
import XCTest

/// `vq mcp`'s image, detection and document paths over a pipe against the loopback stubs: generate_image and
/// edit_image (the Images API stub; images inline and saved only to `[mcp] output_dir`; a mask outside the roots is
/// refused), detect (the Gemini stub that finds the red box), ask with a PDF inside the roots, and progress
/// notifications that carry the inputs' total and always increase.
final class MCPToolsEndToEndTests: EndToEndCase {
    /// A config whose profiles each point at one stub; `[mcp] allow` lets the calls read `project/`.
    func config(
        openAI: String, images: String = "http://127.0.0.1:9", finder: String = "http://127.0.0.1:9", extra: String = ""
    ) throws
        -> [String: String]
    {
        let path = directory.appendingPathComponent("config.toml").path
        try """
        default_profile = "stub"

        [profiles.stub]
        base_url = "\(openAI)"
        model = "stub-vision-1"
        key_env = "STUB_KEY"

        [profiles.render]
        base_url = "\(openAI)"
        model = "stub-vision-1"
        key_env = "STUB_KEY"
        pdf = "render"

        [profiles.painter]
        base_url = "\(images)"
        model = "gpt-image-1"
        key_env = "STUB_KEY"
        images = true

        [profiles.finder]
        api = "gemini"
        base_url = "\(finder)"
        model = "gemini-2.5-flash"
        key_env = "STUB_KEY"

        [mcp]
        allow = ["\(project.path)"]
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return ["VQ_CONFIG": path, "STUB_KEY": Self.key]
    }

    var project: URL { directory.appendingPathComponent("project") }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    }

    func started(_ environment: [String: String]) throws -> MCPClientSession {
        let session = try MCPClientSession(environment: environment, directory: directory)
        let initialized = try session.request(
            1, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "test", "version": "1"]])
        XCTAssertNotNil(initialized["result"], "\(initialized)")
        session.send(["method": "notifications/initialized"])
        return session
    }

    func call(_ session: MCPClientSession, _ id: Int, _ tool: String, _ arguments: [String: Any], progress: String? = nil) throws -> [String: Any] {
        var params: [String: Any] = ["name": tool, "arguments": arguments]
        if let progress { params["_meta"] = ["progressToken": progress] }
        session.send(["id": id, "method": "tools/call", "params": params])
        return try XCTUnwrap(try session.response(id)["result"] as? [String: Any])
    }

    func text(_ result: [String: Any]) -> String {
        ((result["content"] as? [[String: Any]])?.first { $0["type"] as? String == "text" }?["text"] as? String) ?? ""
    }

    func testGenerateAndEditImagesComeBackInlineAndAreSavedOnlyToOutputDir() throws {
        let openAI = try OpenAIStubServer()
        defer { openAI.stop() }
        let images = try ImagesAPIStubServer(answer: .base64)
        let saved = directory.appendingPathComponent("saved")
        try FileManager.default.createDirectory(at: saved, withIntermediateDirectories: true)
        let session = try started(try config(openAI: openAI.baseURL, images: images.baseURL, extra: "output_dir = \"\(saved.path)\""))

        let made = try call(session, 2, "generate_image", ["prompt": "a watercolour fox", "profile": "painter", "n": 2, "size": "1600x900", "quality": "high"])
        XCTAssertEqual(made["isError"] as? Bool, false, "\(made)")
        let body = try XCTUnwrap(try images.requests.first?.json() as? [String: Any])
        XCTAssertEqual(images.requests.first?.path, "/v1/images/generations")
        XCTAssertEqual(body["n"] as? Int, 2)
        XCTAssertEqual(body["size"] as? String, "1536x1024", "the nearest size gpt-image-1 makes")
        XCTAssertEqual(body["quality"] as? String, "high")
        let content = try XCTUnwrap(made["content"] as? [[String: Any]])
        let inline = content.filter { $0["type"] as? String == "image" }
        XCTAssertEqual(inline.count, 2, "\(content)")
        XCTAssertEqual(inline.first?["mimeType"] as? String, "image/png")
        let structured = try XCTUnwrap(made["structuredContent"] as? [String: Any])
        let paths = try XCTUnwrap(structured["saved_images"] as? [String])
        XCTAssertEqual(paths.count, 2)
        // Inline: the saved files, which are the stub's PNGs with vq's provenance added.
        XCTAssertEqual(inline.map { Data(base64Encoded: $0["data"] as? String ?? "") }, paths.map { FileManager.default.contents(atPath: $0) })
        XCTAssertEqual(
            try ImageDecoder.decodeRGB(Data(base64Encoded: inline[0]["data"] as? String ?? "") ?? Data()),
            try ImageDecoder.decodeRGB(ImagesAPIStubServer.generated))
        for path in paths {
            XCTAssertTrue(path.hasPrefix(saved.path + "/"), path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
        }
        XCTAssertEqual(structured["revised_prompts"] as? [String], [ImagesAPIStubServer.revisedPrompt, ImagesAPIStubServer.revisedPrompt])
        XCTAssertEqual(structured["profile"] as? String, "painter")

        // An edit uploads the image and the mask, both read inside the allowed directory.
        let photo = try png("project/photo.png", width: 8, height: 6)
        let maskPixels = (0..<(8 * 6)).flatMap { index -> [UInt8] in index % 8 < 4 ? [0, 0, 0, 0] : [0, 0, 0, 255] }
        let mask = try ImageEncoder.encodePNG(pixels: maskPixels, width: 8, height: 6, channels: 4)
        try mask.write(to: project.appendingPathComponent("mask.png"))
        let edited = try call(
            session, 3, "edit_image",
            ["prompt": "add a hat", "profile": "painter", "images": [project.appendingPathComponent("photo.png").path], "mask": "project/mask.png"])
        XCTAssertEqual(edited["isError"] as? Bool, false, "\(edited)")
        let fields = try XCTUnwrap(images.lastEditFields())
        XCTAssertEqual(fields["image[]"]?.first ?? fields["image"]?.first, photo, "the stub returns the uploaded image")
        XCTAssertNotNil(fields["mask"]?.first, "\(fields.keys)")
        let editedImage = try XCTUnwrap((edited["content"] as? [[String: Any]])?.first { $0["type"] as? String == "image" })
        let editedPaths = try XCTUnwrap((edited["structuredContent"] as? [String: Any])?["saved_images"] as? [String])
        XCTAssertEqual(editedPaths.count, 1)
        XCTAssertEqual(Data(base64Encoded: editedImage["data"] as? String ?? ""), FileManager.default.contents(atPath: editedPaths[0]))
        XCTAssertEqual(images.requests.count, 2)

        // A mask outside the roots and [mcp] allow is not read, and nothing is sent.
        _ = try png("outside.png", width: 8, height: 6)
        let refused = try call(
            session, 4, "edit_image",
            ["prompt": "add a hat", "profile": "painter", "images": ["project/photo.png"], "mask": directory.appendingPathComponent("outside.png").path])
        XCTAssertEqual(refused["isError"] as? Bool, true)
        XCTAssertTrue(text(refused).contains("outside.png: not read"), text(refused))
        let noImages = try call(session, 5, "edit_image", ["prompt": "add a hat", "profile": "painter"])
        XCTAssertEqual(text(noImages), "edit_image: 'images' needs at least one image to edit")
        let badSize = try call(session, 6, "generate_image", ["prompt": "a fox", "profile": "painter", "size": "huge"])
        XCTAssertTrue(text(badSize).contains("'size' must be WIDTHxHEIGHT"), text(badSize))
        let transparentJPEG = try call(session, 7, "generate_image", ["prompt": "a fox", "profile": "painter", "background": "transparent", "format": "jpeg"])
        XCTAssertTrue(text(transparentJPEG).contains("JPEG has no transparency"), text(transparentJPEG))
        // A profile whose api cannot make images says so.
        let reader = try call(session, 8, "generate_image", ["prompt": "a fox", "profile": "finder"])
        XCTAssertEqual(reader["isError"] as? Bool, true)
        XCTAssertEqual(images.requests.count, 2)

        let end = try session.finish()
        XCTAssertEqual(end.status, 0, end.stderr)
        XCTAssertFalse(session.transcript.contains(Self.key))
        XCTAssertEqual(try files(), [], "nothing saved in the working directory")
    }

    func testDetectReturnsBoxesInTheOriginalsPixelsAndReadsOnlyAllowedFiles() throws {
        let finder = try GeminiStubServer { images in (try? DetectionImages.geminiAnswer(for: images.first ?? Data())) ?? "no image" }
        let rect = DetectionImages.Rect(left: 100, top: 60, right: 260, bottom: 200)
        let photo = try DetectionImages.jpeg(width: 640, height: 480, rect: rect, orientation: 6)
        try photo.write(to: project.appendingPathComponent("photo.jpg"))
        try photo.write(to: directory.appendingPathComponent("outside.jpg"))
        let session = try started(try config(openAI: "http://127.0.0.1:9", finder: finder.baseURL))

        let found = try call(session, 2, "detect", ["target": "the red box", "image": "project/photo.jpg", "profile": "finder"])
        XCTAssertEqual(found["isError"] as? Bool, false, "\(found)")
        let structured = try XCTUnwrap(found["structuredContent"] as? [String: Any])
        XCTAssertEqual(structured["width"] as? Int, 480, "EXIF orientation 6 turns the 640x480 photo")
        XCTAssertEqual(structured["height"] as? Int, 640)
        XCTAssertEqual(structured["image"] as? String, "project/photo.jpg")
        let objects = try XCTUnwrap(structured["objects"] as? [[String: Any]])
        XCTAssertEqual(objects.count, 1, "\(structured)")
        let box = try XCTUnwrap(objects.first?["box"] as? [Int])
        let expected = DetectionImages.displayed(rect, width: 640, height: 480, orientation: 6)
        for (got, want) in zip(box, [expected.left, expected.top, expected.right, expected.bottom]) {
            XCTAssertEqual(Double(got), want, accuracy: 8, "\(box) vs \(expected)")
        }
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(text(found).utf8)) as? NSDictionary, structured as NSDictionary)

        // Inline image content works too; a file outside the allowed directories is refused before anything is sent.
        let inline = try call(
            session, 3, "detect",
            ["target": "the red box", "image": ["type": "image", "data": photo.base64EncodedString(), "mimeType": "image/jpeg"], "profile": "finder"])
        XCTAssertEqual(((inline["structuredContent"] as? [String: Any])?["objects"] as? [Any])?.count, 1, "\(inline)")
        XCTAssertEqual(finder.requests.count, 2)
        let refused = try call(
            session, 4, "detect", ["target": "the red box", "image": directory.appendingPathComponent("outside.jpg").path, "profile": "finder"])
        XCTAssertEqual(refused["isError"] as? Bool, true)
        XCTAssertTrue(text(refused).contains("not read"), text(refused))
        let missing = try call(session, 5, "detect", ["target": "the red box", "profile": "finder"])
        XCTAssertEqual(text(missing), "detect: 'image' is required")
        XCTAssertEqual(finder.requests.count, 2)
        XCTAssertEqual(try session.finish().status, 0)
    }

    func testAskReadsAPDFInsideTheRootsAndReportsProgressAgainstTheInputsTotal() throws {
        let openAI = try OpenAIStubServer()
        defer { openAI.stop() }
        let pdf = TestPDF.make([TestPDF.Page(text: "one"), TestPDF.Page(text: "two"), TestPDF.Page(text: "three")])
        try pdf.write(to: project.appendingPathComponent("report.pdf"))
        _ = try png("project/a.png")
        let session = try started(try config(openAI: openAI.baseURL))

        // Sent whole to a service that reads PDFs.
        let whole = try call(session, 2, "ask", ["prompt": "Summarise", "inputs": ["project/report.pdf"]])
        XCTAssertEqual(whole["isError"] as? Bool, false, "\(whole)")
        XCTAssertEqual(text(whole), "Saw 0 image(s). Read 1 PDF(s): 3 pages.")

        // Rendered page by page: progress counts the inputs (the PDF's pages in fractions of one) and always grows.
        let rendered = try call(
            session, 3, "ask", ["prompt": "Summarise", "inputs": ["project/a.png", "project/report.pdf"], "profile": "render"], progress: "p3")
        XCTAssertEqual(rendered["isError"] as? Bool, false, "\(rendered)")
        XCTAssertTrue(text(rendered).hasPrefix("Saw 4 image(s)"), text(rendered))
        let notes = session.take { $0["method"] as? String == "notifications/progress" }.compactMap { $0["params"] as? [String: Any] }
        XCTAssertTrue(notes.allSatisfy { $0["progressToken"] as? String == "p3" }, "\(notes)")
        let values = notes.compactMap { ($0["progress"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(values.count, notes.count, "every notification has a number: \(notes)")
        XCTAssertEqual(values, values.sorted(), "\(values)")
        XCTAssertEqual(Set(values).count, values.count, "strictly increasing: \(values)")
        let totals = notes.filter { $0["total"] != nil }
        XCTAssertEqual(totals.count, 5, "0 of 2, a.png, pages 1-3 of the PDF: \(notes)")
        XCTAssertTrue(totals.allSatisfy { $0["total"] as? Int == 2 && (($0["progress"] as? NSNumber)?.doubleValue ?? 9) <= 2 }, "\(totals)")
        let messages = notes.compactMap { $0["message"] as? String }
        for expected in ["a.png prepared", "report.pdf: page 1 of 3 rendered", "report.pdf: page 2 of 3 rendered"] {
            XCTAssertTrue(messages.contains(expected), "\(messages)")
        }
        XCTAssertEqual(values.last, 2, "the last input prepared: \(notes)")
        XCTAssertEqual(openAI.seen.last?.images.count, 4)
        XCTAssertEqual(try session.finish().status, 0)
    }
}
