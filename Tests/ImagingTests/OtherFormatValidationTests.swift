import Foundation
import Imaging
import XCTest

final class OtherFormatValidationTests: XCTestCase {
    func testWebPDimensionsFromEachHeaderKind() {
        assertAccepts(TestImages.webpLossless(width: 300, height: 200), .webp, width: 300, height: 200, "VP8L")
        assertAccepts(TestImages.webpLossless(width: 16384, height: 1), .webp, width: 16384, height: 1, "VP8L max width")
        assertAccepts(TestImages.webpLossy(width: 640, height: 480), .webp, width: 640, height: 480, "VP8")
        assertAccepts(TestImages.webpExtended(width: 5000, height: 7), .webp, width: 5000, height: 7, "VP8X")
    }

    func testWebPWithoutUsableHeaderIsCorrupt() {
        let lossless = TestImages.webpLossless(width: 300, height: 200)
        assertRejects(lossless.prefix(12), .corrupt, "corrupt WebP: header too short to give dimensions")
        assertRejects(lossless.prefix(22), .corrupt, "corrupt WebP: VP8L header too short to give dimensions")
        assertRejects(TestImages.webpLossy(width: 10, height: 10).prefix(27), .corrupt, "VP8 header too short")
        assertRejects(TestImages.webpExtended(width: 10, height: 10).prefix(29), .corrupt, "VP8X header too short")
        assertRejects(TestImages.flipping(lossless, at: 20), .corrupt, "corrupt WebP: bad VP8L signature")
        assertRejects(TestImages.riff(Array("ALPH".utf8) + [0, 0, 0, 0]), .corrupt,
                      "corrupt WebP: first chunk is \"ALPH\", not VP8, VP8L or VP8X")
        assertRejects(TestImages.webpLossy(width: 0, height: 10), .corrupt, "corrupt WebP: zero width or height")
    }

    func testWebPOverLimits() {
        assertRejects(TestImages.webpExtended(width: 40_000, height: 40_000), .tooLarge,
                      "WebP declares 40000x40000 pixels, over the limit of 100000000 pixels")
    }

    func testGIF() {
        assertAccepts(TestImages.gif(width: 320, height: 240), .gif, width: 320, height: 240)
        assertAccepts(TestImages.gif("GIF87a", width: 1, height: 65535), .gif, width: 1, height: 65535,
                      limits: ImageLimits(maxSide: 65535))
        assertRejects(TestImages.gif(width: 0, height: 5), .corrupt, "corrupt GIF: zero width or height")
        assertRejects(TestImages.gif(width: 5, height: 5).prefix(8), .corrupt, "corrupt GIF: header too short")
        assertRejects(TestImages.gif(width: 40_000, height: 2), .tooLarge, "GIF declares 40000x2 pixels")
    }

    func testUnsupportedAndNonImagesNameWhatTheyAre() {
        let cases: [(String, Data, ImageError.Kind, String)] = [
            ("empty", Data(), .empty, "empty file"),
            ("text", Data("just some notes\n".utf8), .notAnImage, "not an image (plain text)"),
            ("html", Data("<!doctype html><title>x</title>".utf8), .notAnImage, "not an image (HTML)"),
            ("binary", Data([0, 1, 2, 3, 250, 251]), .notAnImage, "not an image (data of an unknown type)"),
            ("heic", TestImages.ftyp(major: "heic", compatible: ["mif1"]), .unsupported,
             "HEIC images are not supported; convert it first, e.g. `heif-convert in.heic out.jpg`"),
            ("avif", TestImages.ftyp(major: "avif", compatible: ["mif1"]), .unsupported,
             "AVIF images are not supported; convert it first, e.g. `avifdec in.avif out.png`"),
            ("tiff", Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]), .unsupported,
             "TIFF images are not supported; convert it first, e.g. `convert in.tiff out.png`"),
            ("bmp", Data([0x42, 0x4D, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), .unsupported,
             "BMP images are not supported; convert it first, e.g. `convert in.bmp out.png`"),
            ("pdf", Data("%PDF-1.4\n".utf8), .unsupported,
             "PDF documents are not supported; convert a page first, e.g. `pdftoppm -png -singlefile in.pdf out`"),
            ("svg", Data("<svg/>".utf8), .unsupported, 
             "SVG images are not supported; convert it first, e.g. `rsvg-convert in.svg -o out.png`"),
        ]
        for (label, data, kind, message) in cases {
            do {
                _ = try ImageValidator.validate(data)
                XCTFail("\(label) accepted")
            } catch {
                XCTAssertEqual(error, ImageError(kind, message), label)
            }
        }
    }
}
