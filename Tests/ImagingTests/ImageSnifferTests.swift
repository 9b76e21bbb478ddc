import Foundation
import Imaging
import XCTest

final class ImageSnifferTests: XCTestCase {
    func testKindsFromLeadingBytes() {
        let cases: [(String, Data, SniffedKind)] = [
            ("png", TestImages.png(), .image(.png)),
            ("jpeg", TestImages.jpeg(), .image(.jpeg)),
            ("webp", TestImages.webpLossless(width: 3, height: 2), .image(.webp)),
            ("gif87a", TestImages.gif("GIF87a", width: 1, height: 1), .image(.gif)),
            ("gif89a", TestImages.gif(width: 1, height: 1), .image(.gif)),
            ("heic", TestImages.ftyp(major: "heic", compatible: ["mif1", "heic"]), .image(.heic)),
            ("heix", TestImages.ftyp(major: "heix", compatible: ["mif1"]), .image(.heic)),
            ("mif1 only", TestImages.ftyp(major: "mif1", compatible: ["mif1", "miaf"]), .image(.heic)),
            ("avif", TestImages.ftyp(major: "avif", compatible: ["mif1", "avif"]), .image(.avif)),
            ("avif via mif1", TestImages.ftyp(major: "mif1", compatible: ["avif", "mif1"]), .image(.avif)),
            ("mp4", TestImages.ftyp(major: "isom", compatible: ["isom", "mp41"]), .video(.mp4)),
            ("tiff le", Data([0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]), .image(.tiff)),
            ("tiff be", Data([0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]), .image(.tiff)),
            ("bigtiff", Data([0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0]), .image(.tiff)),
            ("bmp", Data([0x42, 0x4D, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), .bmp),
            ("pdf", Data("%PDF-1.7\n%\u{e2}\u{e3}".utf8), .pdf),
            ("svg", Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), .svg),
            ("xml svg", Data("<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>".utf8), .svg),
            ("html", Data("\n  <!DOCTYPE html><html><body>hi</body></html>".utf8), .html),
            ("html no doctype", Data("<html><head></head></html>".utf8), .html),
            ("text", Data("Hello, world.\nThis is not an image.\n".utf8), .text),
            ("text starting BM", Data("BMW owners club: meeting notes".utf8), .text),
            ("utf8 text", Data("Grüße, 世界 🌍\n".utf8), .text),
            ("xml not svg", Data("<?xml version=\"1.0\"?><note/>".utf8), .text),
            ("empty", Data(), .empty),
            ("binary", Data([0x00, 0x01, 0x02, 0xFE, 0x7F, 0x80]), .unknown),
            ("invalid utf8", Data([0x41, 0x42, 0xC3, 0x28, 0x43]), .unknown),
            ("riff but wave", Data(Array("RIFF".utf8) + [4, 0, 0, 0] + Array("WAVE".utf8)), .unknown),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertEqual(ImageSniffer.sniff(bytes), expected, name)
        }
    }

    func testTextCutInsideACharacterAtTheWindowEdgeIsStillText() {
        // 1023 ASCII bytes then a 4-byte emoji: the 1024-byte window ends inside it.
        let text = String(repeating: "a", count: 1023) + "🌍 and more text"
        XCTAssertEqual(ImageSniffer.sniff(Data(text.utf8)), .text)
    }

    func testSniffingASliceUsesItsOwnBytes() {
        let padded = Data([0x00, 0x00]) + TestImages.png()
        XCTAssertEqual(ImageSniffer.sniff(padded.dropFirst(2)), .image(.png))
    }

    func testDescriptions() {
        let cases: [(SniffedKind, String)] = [
            (.image(.png), "a PNG image"), (.image(.jpeg), "a JPEG image"), (.image(.webp), "a WebP image"),
            (.image(.gif), "a GIF image"), (.image(.heic), "a HEIC image"), (.image(.avif), "an AVIF image"),
            (.netpbm("PGM"), "a PGM image"), (.damagedPNG, "a PNG damaged by a text-mode transfer (CR/LF conversion)"),
            (.image(.tiff), "a TIFF image"), (.bmp, "a BMP image"), (.pdf, "a PDF document"), (.svg, "an SVG image"),
            (.html, "HTML"), (.text, "plain text"), (.empty, "an empty file"), (.unknown, "data of an unknown type"),
        ]
        for (kind, words) in cases { XCTAssertEqual(kind.description, words) }
    }
}
