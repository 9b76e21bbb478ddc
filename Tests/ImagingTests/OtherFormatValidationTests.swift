import Foundation
import Imaging
import XCTest

final class OtherFormatValidationTests: XCTestCase {
    func testUnsupportedAndNonImagesNameWhatTheyAre() {
        let cases: [(String, Data, ImageError.Kind, String)] = [
            ("empty", Data(), .empty, "empty file"),
            ("text", Data("just some notes\n".utf8), .notAnImage, "not an image (plain text)"),
            ("html", Data("<!doctype html><title>x</title>".utf8), .notAnImage, "not an image (HTML)"),
            ("binary", Data([0, 1, 2, 3, 250, 251]), .notAnImage, "not an image (data of an unknown type)"),
            ("heic without image data", TestImages.ftyp(major: "heic", compatible: ["mif1"]), .corrupt, "corrupt HEIC: "),
            ("avif without image data", TestImages.ftyp(major: "avif", compatible: ["mif1"]), .corrupt, "corrupt AVIF: "),
            ("tiff header only", Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]), .corrupt, "corrupt TIFF: "),
            ("bigtiff header only", Data([0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0, 16, 0, 0, 0]), .corrupt, "corrupt TIFF: "),
            (
                "bmp", Data([0x42, 0x4D, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), .unsupported,
                "BMP images are not supported; convert it first, e.g. `convert in.bmp out.png`"
            ),
            (
                "pdf", Data("%PDF-1.4\n".utf8), .unsupported,
                "PDF documents are not supported; convert a page first, e.g. `pdftoppm -png -singlefile in.pdf out`"
            ),
            (
                "svg", Data("<svg/>".utf8), .unsupported,
                "SVG images are not supported; convert it first, e.g. `rsvg-convert in.svg -o out.png`"
            ),
        ]
        for (label, data, kind, message) in cases {
            do {
                _ = try ImageValidator.validate(data)
                XCTFail("\(label) accepted")
            } catch {
                XCTAssertEqual(error.kind, kind, label)
                XCTAssertTrue(error.message.hasPrefix(message), "\(label): \(error.message)")
            }
        }
    }
}
