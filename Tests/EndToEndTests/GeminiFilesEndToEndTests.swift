import Foundation
import Imaging
import TestSupport
import XCTest

/// Gemini's Files API end to end against the stub: media that would push a request over the inline cap (lowered
/// here with the profile's `max_request_bytes`, so the files stay small) are uploaded (start, upload+finalize, poll
/// until ACTIVE), named by `file_data`, and deleted after the answer unless `--keep-uploads`; failures, a file that
/// stays PROCESSING and Ctrl-C leave nothing on the service. YouTube URLs and `--media-resolution` too.
final class GeminiFilesEndToEndTests: EndToEndCase {
    private var logPath: String { directory.appendingPathComponent("logs.db").path }
    private var pdfSize = 0

    override func setUpWithError() throws {
        try super.setUpWithError()
        let invoice = TestPDF.make([TestPDF.Page(text: "Invoice 42"), TestPDF.Page(text: "Total 99 EUR", image: true)])
        pdfSize = invoice.count
        try invoice.write(to: directory.appendingPathComponent("invoice.pdf"))
    }

    /// vq on a gemini profile whose inline cap is `cap` bytes, polling every 50 ms for at most `pollTimeout` seconds.
    private func gemini(
        _ stub: GeminiStubServer, _ arguments: [String], cap: Int = 1000, pollTimeout: Double = 20
    ) throws -> VQProcess.Result {
        try vq(arguments, baseURL: stub.baseURL, extraConfig: config(cap: cap, pollTimeout: pollTimeout), env: ["VQ_LOG_DB": logPath])
    }

    private func config(cap: Int, pollTimeout: Double) -> String {
        "api = \"gemini\"\nmax_request_bytes = \(cap)\npoll_interval = 0.05\npoll_timeout = \(pollTimeout)\n"
    }

    private func generateBodies(_ stub: GeminiStubServer) throws -> [[String: Any]] {
        try stub.requests.filter { $0.path.contains(":generateContent") || $0.path.contains(":streamGenerateContent") }.map {
            try XCTUnwrap(try $0.json() as? [String: Any])
        }
    }

    private func parts(_ body: [String: Any]) -> [[String: Any]] {
        (body["contents"] as? [[String: Any]] ?? []).flatMap { $0["parts"] as? [[String: Any]] ?? [] }
    }

    func testAPDFOverTheInlineCapIsUploadedNamedByFileDataAndDeleted() throws {
        XCTAssertGreaterThan(pdfSize, 1000, "the test PDF must be over the lowered cap")
        let stub = try GeminiStubServer()
        stub.files.faults.processingPolls = 2
        let result = try gemini(stub, ["-v", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 0 image(s). Files: application/pdf \(pdfSize) bytes.\n")
        XCTAssertEqual(stub.files.uploadsStarted, 1)
        XCTAssertTrue(stub.files.files.isEmpty, "the uploaded file is deleted after the answer")
        XCTAssertEqual(stub.files.deleted.count, 1)
        XCTAssertGreaterThanOrEqual(stub.files.gets, 2, "polled until ACTIVE")

        let start = try XCTUnwrap(stub.requests.first { $0.header("x-goog-upload-command") == "start" })
        XCTAssertEqual(start.path, "/upload/v1beta/files")
        XCTAssertEqual(start.header("x-goog-upload-protocol"), "resumable")
        XCTAssertEqual(start.header("x-goog-upload-header-content-length"), String(pdfSize))
        XCTAssertEqual(start.header("x-goog-upload-header-content-type"), "application/pdf")
        XCTAssertEqual(start.header("x-goog-api-key"), Self.key)
        XCTAssertEqual(((try start.json() as? [String: Any])?["file"] as? [String: Any])?["display_name"] as? String, "invoice.pdf")
        let upload = try XCTUnwrap(stub.requests.first { $0.header("x-goog-upload-command") == "upload, finalize" })
        XCTAssertEqual(upload.header("x-goog-upload-offset"), "0")
        XCTAssertEqual(upload.body, try Data(contentsOf: directory.appendingPathComponent("invoice.pdf")))
        for request in stub.requests { XCTAssertFalse(request.path.contains(Self.key), "the key never goes in a URL") }

        let body = try XCTUnwrap(try generateBodies(stub).first)
        let reference = try XCTUnwrap(parts(body).compactMap { $0["file_data"] as? [String: Any] }.first)
        XCTAssertEqual(reference["mime_type"] as? String, "application/pdf")
        XCTAssertTrue((reference["file_uri"] as? String ?? "").hasSuffix("/v1beta/files/stub1x1"), "\(reference)")
        XCTAssertFalse(parts(body).contains { $0["inline_data"] != nil }, "nothing inline")
        XCTAssertTrue(result.stderr.contains("route: invoice.pdf: upload through the Files API"), result.stderr)
        XCTAssertFalse(result.stderr.contains("upload_id=session"), "the session URL is redacted in -v: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("upload_id=[redacted]"), "the upload step is logged, redacted: \(result.stderr)")
        assertKeyNeverShown(result)
    }

    /// An image sent as it is (`--no-resize`) that does not fit inline goes up too; a small one beside it stays inline.
    func testAnImageTooLargeToInlineIsUploaded() throws {
        var generator = SeededGenerator(seed: 20)
        let noise = (0..<(64 * 64 * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let large = try ImageEncoder.encodePNG(pixels: noise, width: 64, height: 64, channels: 3)  // noise: does not compress
        try large.write(to: directory.appendingPathComponent("large.png"))
        _ = try png("small.png", width: 2, height: 2)
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["-v", "--no-resize", "Compare", "large.png", "small.png"], cap: large.count + 600)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): png 2x2. Files: image/png \(large.count) bytes.\n")
        XCTAssertTrue(result.stderr.contains("route: large.png: upload through the Files API"), result.stderr)
        XCTAssertTrue(result.stderr.contains("route: small.png: inline"), result.stderr)
        XCTAssertTrue(stub.files.files.isEmpty)
    }

    func testUnderTheCapEverythingStaysInline() throws {
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["Extract the invoice total", "invoice.pdf"], cap: 20_000_000)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 0 image(s). Read 1 PDF(s): 2 pages.\n")
        XCTAssertEqual(stub.files.uploadsStarted, 0)
    }

    func testDryRunSaysTheRouteAndSendsNothing() throws {
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["--dry-run", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("route: invoice.pdf: upload through the Files API"), result.stderr)
        XCTAssertTrue(result.stderr.contains("over the 1000 B inline cap") || result.stderr.contains("inline cap"), result.stderr)
        XCTAssertTrue(result.stdout.contains("[uploaded first through the Files API]"), result.stdout)
        XCTAssertEqual(stub.requests.count, 0, "a dry run sends nothing")
    }

    func testAFileThatStaysProcessingIsDeletedAfterTheBoundedWait() throws {
        let stub = try GeminiStubServer()
        stub.files.faults.staysProcessing = true
        let result = try gemini(stub, ["Extract the invoice total", "invoice.pdf"], pollTimeout: 0.5)
        XCTAssertEqual(result.status, 69, result.stderr)
        XCTAssertTrue(result.stderr.contains("still processing invoice.pdf"), result.stderr)
        XCTAssertTrue(result.stderr.contains("poll_timeout"), result.stderr)
        XCTAssertTrue(stub.files.files.isEmpty, "deleted after giving up")
        XCTAssertEqual(try generateBodies(stub).count, 0)
    }

    func testAFileThatFailsProcessingIsBadInputAndDeleted() throws {
        let stub = try GeminiStubServer()
        stub.files.faults.failsProcessing = true
        let result = try gemini(stub, ["Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("could not process invoice.pdf"), result.stderr)
        XCTAssertTrue(result.stderr.contains("the video could not be decoded"), result.stderr)
        XCTAssertTrue(stub.files.files.isEmpty)
    }

    func testAFailedUploadIsRetriedOrEndsCleanly() throws {
        let retried = try GeminiStubServer()
        retried.files.faults.uploadFailures = 1
        let recovered = try gemini(retried, ["Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        XCTAssertTrue(recovered.stdout.contains("Files: application/pdf"), recovered.stdout)
        XCTAssertTrue(retried.files.files.isEmpty)

        let failing = try GeminiStubServer()
        failing.files.faults.uploadFailures = 100
        let failed = try gemini(failing, ["--retries", "1", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(failed.status, 69, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("uploading invoice.pdf"), failed.stderr)
        XCTAssertTrue(failing.files.files.isEmpty, "no file is left behind")
        XCTAssertEqual(failing.files.cancelled, 1, "the session is cancelled")
        XCTAssertEqual(try generateBodies(failing).count, 0)
    }

    func testKeepUploadsLeavesTheFile() throws {
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["--keep-uploads", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(stub.files.files.count, 1, "kept on the service")
        XCTAssertTrue(stub.files.deleted.isEmpty)
    }

    /// A real H.264 clip made by ffmpeg: inline under the cap with its clip as `video_metadata`, uploaded over it.
    func testAVideoGoesInlineUnderTheCapAndUpOverIt() throws {
        let clip = directory.appendingPathComponent("clip.mp4")
        try TestVideo.make(.h264MP4(faststart: true), at: clip, seconds: 6)
        let size = try Data(contentsOf: clip).count
        let stub = try GeminiStubServer()
        let inline = try gemini(
            stub, ["--start", "2", "--end", "0:05.5", "--fps", "2", "--media-resolution", "low", "When does the square move?", "clip.mp4"],
            cap: 20_000_000)
        XCTAssertEqual(inline.status, 0, inline.stderr)
        XCTAssertFalse(inline.stderr.contains("ignores"), "video_metadata carries all three: \(inline.stderr)")
        XCTAssertEqual(inline.stdout, "Saw 0 image(s). Videos: video/mp4 \(size) bytes.\n")
        let body = try XCTUnwrap(try generateBodies(stub).first)
        let part = try XCTUnwrap(parts(body).first { $0["inline_data"] != nil })
        XCTAssertEqual((part["inline_data"] as? [String: Any])?["mime_type"] as? String, "video/mp4")
        let metadata = try XCTUnwrap(part["video_metadata"] as? [String: Any])
        XCTAssertEqual(metadata["start_offset"] as? String, "2s")
        XCTAssertEqual(metadata["end_offset"] as? String, "5.5s")
        XCTAssertEqual(metadata["fps"] as? Double, 2)
        XCTAssertEqual((body["generationConfig"] as? [String: Any])?["mediaResolution"] as? String, "MEDIA_RESOLUTION_LOW")

        let uploaded = try gemini(stub, ["-v", "--start", "1", "--frames", "4", "When does the square move?", "clip.mp4"], cap: size / 2)
        XCTAssertTrue(uploaded.stderr.contains("(gemini) ignores --frames"), "Gemini samples by fps: \(uploaded.stderr)")
        XCTAssertEqual(uploaded.status, 0, uploaded.stderr)
        XCTAssertEqual(uploaded.stdout, "Saw 0 image(s). Files: video/mp4 \(size) bytes.\n")
        XCTAssertTrue(uploaded.stderr.contains("route: clip.mp4: upload through the Files API"), uploaded.stderr)
        let upload = try XCTUnwrap(stub.requests.first { $0.header("x-goog-upload-command") == "upload, finalize" })
        XCTAssertEqual(upload.body, try Data(contentsOf: clip))
        let reference = try XCTUnwrap(parts(try XCTUnwrap(try generateBodies(stub).last)).first { $0["file_data"] != nil })
        XCTAssertEqual((reference["video_metadata"] as? [String: Any])?["start_offset"] as? String, "1s")
        XCTAssertTrue(stub.files.files.isEmpty)

        // --count-tokens counts the request as it would go: the video uploaded, named by file_data, deleted after.
        let counted = try gemini(stub, ["-v", "--count-tokens", "When does the square move?", "clip.mp4"], cap: size / 2)
        XCTAssertEqual(counted.status, 0, counted.stderr)
        XCTAssertEqual(counted.stdout, "1010\n", "the stub counts 1000 for the uploaded file it has, 10 for the text")
        XCTAssertEqual(stub.files.uploadsStarted, 2)
        XCTAssertTrue(stub.files.files.isEmpty, "the file uploaded for the count is deleted")
        XCTAssertEqual(stub.files.deleted.count, 2)

        let dry = try gemini(stub, ["--dry-run", "--start", "1", "--end", "4", "--media-resolution", "low", "When?", "clip.mp4"], cap: size / 2)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stderr.contains("video clip.mp4 (00:03.0 of video): ~\(3 * 66 + 3 * 32) input tokens"), dry.stderr)
        XCTAssertTrue(dry.stderr.contains("route: clip.mp4: upload through the Files API"), dry.stderr)
    }

    /// `-c` after a video: the logged video (kept where it was) is sent again, by the file `--keep-uploads` left.
    func testAContinuedConversationReusesAKeptVideo() throws {
        let clip = directory.appendingPathComponent("clip.mp4")
        try TestVideo.make(.h264MP4(faststart: true), at: clip, seconds: 4)
        let size = try Data(contentsOf: clip).count
        let stub = try GeminiStubServer()
        let first = try gemini(stub, ["--keep-uploads", "When does the square move?", "clip.mp4"], cap: size / 2)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(stub.files.uploadsStarted, 1)
        let second = try gemini(stub, ["-c", "And where is it at the end?"], cap: size / 2)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stdout, "Saw 0 image(s). Turns: 3. Files: video/mp4 \(size) bytes.\n")
        XCTAssertEqual(stub.files.uploadsStarted, 1, "reused, not uploaded again")
        let inline = try gemini(stub, ["-c", "And the colour?"], cap: 20_000_000)
        XCTAssertEqual(inline.status, 0, inline.stderr)
        XCTAssertTrue(inline.stdout.contains("Videos: video/mp4 \(size) bytes."), "under the cap it goes inline again: \(inline.stdout)")
    }

    /// A `--messages` file naming a local video by `file://` is not read: only vq's own log sends such a video again.
    func testAMessagesFileCannotMakeVqReadALocalVideo() throws {
        let clip = directory.appendingPathComponent("private.mp4")
        try Data(repeating: 7, count: 2000).write(to: clip)
        let messages = directory.appendingPathComponent("messages.json")
        try Data(
            #"[{"role":"user","content":[{"type":"image_url","image_url":{"url":"\#(clip.absoluteString)"}}]},{"role":"assistant","content":"ok"}]"#
                .utf8
        ).write(to: messages)
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["--messages", messages.path, "And then?"], cap: 20_000_000)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot fetch image URLs"), result.stderr)
        XCTAssertEqual(stub.requests.count, 0)
    }

    /// `vq batch` uploads each item's large media like a query; a provider batch, which cannot, fails those lines.
    func testBatchItemsUploadAndProviderBatchesRefuse() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
        for name in ["a.pdf", "b.pdf"] {
            try FileManager.default.copyItem(at: directory.appendingPathComponent("invoice.pdf"), to: directory.appendingPathComponent("docs/\(name)"))
        }
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["batch", "--out", "out.jsonl", "Extract the invoice total", "docs"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOf: directory.appendingPathComponent("out.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for line in lines { XCTAssertTrue(line.contains("Files: application/pdf"), String(line)) }
        XCTAssertEqual(stub.files.uploadsStarted, 2)
        XCTAssertTrue(stub.files.files.isEmpty)

        let batches = try GeminiBatchStubServer()
        let refused = try vq(
            ["batch", "--provider-batch", "--out", "provider.jsonl", "Extract the invoice total", "docs"], baseURL: batches.baseURL,
            extraConfig: config(cap: 1000, pollTimeout: 20))
        XCTAssertEqual(refused.status, 1, refused.stderr)
        let failed = try String(contentsOf: directory.appendingPathComponent("provider.jsonl"), encoding: .utf8)
        XCTAssertEqual(failed.components(separatedBy: "a provider batch cannot send media through the Files API").count - 1, 2, failed)
    }

    /// `-c` sends the logged PDF again: the file kept by `--keep-uploads` is reused while the service has it, and
    /// uploaded again once it is gone.
    func testAContinuedConversationReusesTheKeptFileAndReuploadsWhenItIsGone() throws {
        let stub = try GeminiStubServer()
        let first = try gemini(stub, ["--keep-uploads", "Extract the invoice total", "invoice.pdf"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(stub.files.uploadsStarted, 1)
        let kept = try XCTUnwrap(stub.files.files.first)

        let second = try gemini(stub, ["-c", "-v", "And the invoice number?"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(stub.files.uploadsStarted, 1, "no second upload: \(second.stderr)")
        XCTAssertTrue(second.stderr.contains("reusing \(kept.name)"), second.stderr)
        XCTAssertTrue(second.stdout.contains("Files: application/pdf \(pdfSize) bytes."), second.stdout)
        XCTAssertTrue(second.stdout.contains("Turns: 3."), "the earlier turn came along: \(second.stdout)")
        XCTAssertEqual(stub.files.files.map(\.name), [kept.name], "a reused file is not deleted by an exchange that did not keep it")

        stub.files.forget(kept.name)  // expired on the service: its GET answers 404
        let third = try gemini(stub, ["-c", "And the date?"])
        XCTAssertEqual(third.status, 0, third.stderr)
        XCTAssertEqual(stub.files.uploadsStarted, 2, "uploaded again")
        XCTAssertTrue(third.stdout.contains("Files: application/pdf \(pdfSize) bytes."), third.stdout)
        XCTAssertTrue(stub.files.files.isEmpty, "the new upload is deleted after the answer")
    }

    /// Ctrl-C while the service processes the upload: the file is deleted, then vq ends by SIGINT as usual.
    func testCtrlCWhileProcessingDeletesTheUpload() throws {
        let stub = try GeminiStubServer()
        stub.files.faults.staysProcessing = true
        let process = try startQuery(stub)
        XCTAssertTrue(stub.files.waitForGets(1), "vq never polled the file")
        XCTAssertEqual(stub.files.files.count, 1)
        interrupt(process)
        XCTAssertTrue(stub.files.files.isEmpty, "Ctrl-C deletes what vq uploaded")
        XCTAssertEqual(stub.files.deleted.count, 1)
    }

    /// Ctrl-C while the bytes go up: the session is cancelled and no file stays.
    func testCtrlCDuringTheUploadCancelsTheSession() throws {
        let stub = try GeminiStubServer()
        stub.files.faults.stallsUpload = true
        let process = try startQuery(stub)
        XCTAssertTrue(stub.files.waitForUploadAttempt(), "the upload never arrived")
        interrupt(process)
        XCTAssertTrue(stub.files.files.isEmpty)
        XCTAssertEqual(stub.files.cancelled, 1, "the upload session is cancelled")
    }

    func testYouTubeURLsGoToGeminiAsFileDataAndAreRefusedElsewhere() throws {
        let stub = try GeminiStubServer()
        let url = "https://www.youtube.com/watch?v=9hE5-98ZeCg"
        let result = try gemini(stub, ["Summarise the video", url], cap: 20_000_000)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Files: youtube."), result.stdout)
        let body = try XCTUnwrap(try generateBodies(stub).first)
        XCTAssertEqual(parts(body).compactMap { ($0["file_data"] as? [String: Any])?["file_uri"] as? String }, [url])
        XCTAssertEqual(stub.files.uploadsStarted, 0, "not downloaded, not uploaded")

        let openai = try OpenAIStubServer()
        for link in [url, "https://youtu.be/9hE5-98ZeCg", "https://youtube.com/shorts/abcDEF123"] {
            let refused = try vq(["Summarise the video", link], server: openai)
            XCTAssertEqual(refused.status, 65, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("only Gemini"), refused.stderr)
            XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        }
        XCTAssertEqual(openai.requests.count, 0, "nothing is sent")
    }

    func testMediaResolutionGoesInGenerationConfig() throws {
        let stub = try GeminiStubServer()
        let result = try gemini(stub, ["--media-resolution", "low", "Extract the invoice total", "invoice.pdf"], cap: 20_000_000)
        XCTAssertEqual(result.status, 0, result.stderr)
        let body = try XCTUnwrap(try generateBodies(stub).first)
        XCTAssertEqual((body["generationConfig"] as? [String: Any])?["mediaResolution"] as? String, "MEDIA_RESOLUTION_LOW")

        let openai = try OpenAIStubServer()
        let ignored = try vq(["--media-resolution", "high", "Describe", "https://example.org/c.jpg"], server: openai)
        XCTAssertEqual(ignored.status, 0, ignored.stderr)
        XCTAssertTrue(ignored.stderr.contains("--media-resolution"), "an api without the field says it is ignored: \(ignored.stderr)")
        let bad = try vq(["--media-resolution", "ultra", "Describe", "https://example.org/c.jpg"], server: openai)
        XCTAssertEqual(bad.status, 64, bad.stderr)
    }

    /// vq asking about invoice.pdf over the lowered cap, running until the test signals it.
    private func startQuery(_ stub: GeminiStubServer) throws -> Process {
        try VQProcess.start(
            ["Extract the invoice total", "invoice.pdf"],
            environment: ["VQ_CONFIG": try writeConfig(baseURL: stub.baseURL, extra: config(cap: 1000, pollTimeout: 60)), "STUB_KEY": Self.key],
            directory: directory)
    }

    /// Sends Ctrl-C and checks that vq ended by it, as an uncaught SIGINT does (the shell sees 130).
    private func interrupt(_ process: Process, file: StaticString = #filePath, line: UInt = #line) {
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, file: file, line: line)
        XCTAssertEqual(process.terminationStatus, SIGINT, file: file, line: line)
    }
}
