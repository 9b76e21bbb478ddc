import Imaging
import TestSupport
import XCTest

/// Images are shrunk to the profile's size before sending, as the server sees them.
final class ImagePipelineEndToEndTests: EndToEndCase {
    /// A noisy JPEG (so it compresses like a photo).
    func photo(_ name: String, width: Int, height: Int) throws -> Data {
        var state: UInt32 = 12345
        let pixels = (0..<(width * height * 3)).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let data = try ImageEncoder.encodeJPEG(pixels: pixels, width: width, height: height, channels: 3, quality: 95)
        try data.write(to: directory.appendingPathComponent(name))
        return data
    }

    func testLargeImagesAreShrunkToTheProfileLimit() throws {
        let server = try OpenAIStubServer()
        _ = try photo("big.jpg", width: 1200, height: 800)
        let result = try vq(["-v", "Describe", "big.jpg"], server: server, extraConfig: "max_side = 600")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): jpeg 600x400.\n")
        XCTAssertTrue(result.stderr.contains("image big.jpg 1200x800 "), result.stderr)
        XCTAssertTrue(result.stderr.contains("-> 600x400 "), result.stderr)

        let flag = try vq(["--max-side", "300", "Describe", "big.jpg"], server: server, extraConfig: "max_side = 600")
        XCTAssertEqual(flag.stdout, "Saw 1 image(s): jpeg 300x200.\n", "the flag wins over the profile")
        let pixels = try vq(["--max-pixels", "60000", "Describe", "big.jpg"], server: server)
        XCTAssertEqual(pixels.stdout, "Saw 1 image(s): jpeg 300x200.\n")
    }

    func testNoResizeSendsTheOriginalBytes() throws {
        let server = try OpenAIStubServer()
        let original = try photo("big.jpg", width: 1200, height: 800)
        let result = try vq(["--no-resize", "Describe", "big.jpg"], server: server, extraConfig: "max_side = 600")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): jpeg 1200x800.\n")
        let body = String(decoding: server.seen[0].rawBody, as: UTF8.self)
        XCTAssertTrue(body.contains(original.base64EncodedString()), "the original bytes, untouched")
    }

    func testByteLimitShrinksFurtherAndSaysSo() throws {
        let server = try OpenAIStubServer()
        _ = try photo("big.jpg", width: 1200, height: 800)
        let result = try vq(["Describe", "big.jpg"], server: server, extraConfig: "max_image_bytes = 60000")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("big.jpg: shrunk further"), result.stderr)
        let info = server.seen[0].images[0]
        XCTAssertLessThan(info.width, 1200)
        let body = String(decoding: server.seen[0].rawBody, as: UTF8.self)
        XCTAssertLessThan(body.count, 62000)
    }

    func testRequestLimitThatCannotBeMetFailsBeforeSending() throws {
        let server = try OpenAIStubServer()
        _ = try photo("a.jpg", width: 400, height: 300)
        try "x".write(to: directory.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let result = try vq(["Describe", "a.jpg"], server: server, extraConfig: "max_request_bytes = 100")
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("a.jpg: "), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testDryRunShowsImageFactsAndRequestSize() throws {
        let server = try OpenAIStubServer()
        _ = try photo("big.jpg", width: 1200, height: 800)
        let result = try vq(["--dry-run", "--max-side", "600", "Describe", "big.jpg"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("image big.jpg 1200x800 "), result.stderr)
        XCTAssertTrue(result.stderr.contains("request: POST "), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testHEICJustWorksAsJPEGAndVerboseSaysSo() throws {
        let server = try OpenAIStubServer()
        let pixels = (0..<(96 * 64 * 3)).map { UInt8(truncatingIfNeeded: $0 / 7) }
        let heic = try ImageEncoder.encodeHEIF(pixels: pixels, width: 96, height: 64, channels: 3, orientation: 6)
        try heic.write(to: directory.appendingPathComponent("IMG_0042.HEIC"))
        let result = try vq(["-v", "Describe", "IMG_0042.HEIC"], server: server)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Saw 1 image(s): jpeg 64x96.\n", "turned upright by its irot box")
        XCTAssertTrue(result.stderr.contains("IMG_0042.HEIC: HEIC sent as JPEG"), result.stderr)
    }

    func testTruncatedWebPAndUnsentFormatsStopBeforeSending() throws {
        let server = try OpenAIStubServer()
        let pixels = (0..<(200 * 150 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let webp = try ImageEncoder.encodeWebP(pixels: pixels, width: 200, height: 150, channels: 3)
        try webp.prefix(webp.count / 4).write(to: directory.appendingPathComponent("cut.webp"))
        let cut = try vq(["Describe", "cut.webp"], server: server)
        XCTAssertEqual(cut.status, 65, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("cut.webp: corrupt WebP: "), cut.stderr)
        try Data("P6\n2 2\n255\n".utf8 + [UInt8](repeating: 7, count: 12)).write(to: directory.appendingPathComponent("scan.ppm"))
        let ppm = try vq(["Describe", "scan.ppm"], server: server)
        XCTAssertEqual(ppm.status, 65, ppm.stderr)
        XCTAssertTrue(ppm.stderr.contains("scan.ppm: PPM images are not supported; convert it first"), ppm.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }
}
