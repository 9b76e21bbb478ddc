import Foundation
import Imaging
import XCTest

/// Formats vq does not send are named (with a conversion hint), not called "unknown".
final class NamedFormatTests: XCTestCase {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func testEachFormatIsNamedWithAHint() {
        let tgaHeader: [UInt8] = [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 2, 0, 24, 0] + Array(repeating: 0x80, count: 24)
        let tgaFooter: [UInt8] =
            [0, 0, 10] + Array(repeating: 0, count: 40) + Array(repeating: 0, count: 8)
            + Self.bytes("TRUEVISION-XFILE.\0")
        let cases: [(String, [UInt8], SniffedKind, String)] = [
            ("tga", tgaHeader, .tga, "TGA images are not supported; convert it first, e.g. `convert in.tga out.png`"),
            ("tga 2 footer", tgaFooter, .tga, "TGA images are not supported"),
            (
                "ppm", Self.bytes("P6\n3 2\n255\n") + Array(repeating: 9, count: 18), .netpbm("PPM"),
                "PPM images are not supported; convert it first, e.g. `convert in.ppm out.png`"
            ),
            ("pgm", Self.bytes("P5 # made by hand\n3 2 255\n") + [1, 2, 3, 4, 5, 6], .netpbm("PGM"), "PGM images are not supported"),
            ("pbm text", Self.bytes("P1\n2 2\n0 1\n1 0\n"), .netpbm("PBM"), "PBM images are not supported"),
            (
                "jp2", [0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 0, 0, 0, 0x14], .jpeg2000,
                "JPEG 2000 images are not supported; convert it first, e.g. `convert in.jp2 out.png`"
            ),
            ("j2k codestream", [0xFF, 0x4F, 0xFF, 0x51, 0, 0x2F], .jpeg2000, "JPEG 2000 images"),
            (
                "psd", Self.bytes("8BPS") + [0, 1, 0, 0, 0, 0, 0, 0], .psd,
                "Photoshop (PSD) images are not supported; convert it first, e.g. `convert 'in.psd[0]' out.png`"
            ),
            ("ico", [0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0x68, 4, 0, 0, 22, 0, 0, 0], .ico, "Windows icons (ICO) are not supported"),
            ("cur", [0, 0, 2, 0, 1, 0, 32, 32, 0, 0, 1, 0, 1, 0, 0x30, 1, 0, 0, 22, 0, 0, 0], .cur, "Windows cursors (CUR) are not supported"),
            ("qoi", Self.bytes("qoif") + [0, 0, 0, 4, 0, 0, 0, 4, 3, 0], .qoi, "QOI images are not supported"),
            (
                "eps", Self.bytes("%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"), .eps,
                "EPS/PostScript documents are not supported; convert it first, e.g. `gs -sDEVICE=png16m -r150 -o out.png in.eps`"
            ),
            ("dos eps", [0xC5, 0xD0, 0xD3, 0xC6, 30, 0, 0, 0], .eps, "EPS/PostScript documents"),
            ("xpm", Self.bytes("/* XPM */\nstatic char *x[] = {\n\"1 1 1 1\",\n"), .xpm, "XPM images are not supported"),
            (
                "xbm", Self.bytes("#define dot_width 1\n#define dot_height 1\nstatic char dot_bits[] = { 0x01 };\n"), .xbm,
                "XBM images are not supported"
            ),
        ]
        for (label, bytes, kind, message) in cases {
            XCTAssertEqual(ImageSniffer.sniff(Data(bytes)), kind, label)
            assertRejects(Data(bytes), .unsupported, message, label)
        }
    }

    func testPNGDamagedByATextModeTransferIsNamed() {
        let png = [UInt8](TestImages.png())
        let lfOnly = [0x89] + Self.bytes("PNG\n\u{1A}\n") + png[8...]  // CR LF became LF
        let crlf = [0x89] + Self.bytes("PNG\r\r\n\u{1A}\r\n") + png[8...]  // LF became CR LF
        for (label, bytes) in [("CR LF -> LF", lfOnly), ("LF -> CR LF", crlf)] {
            XCTAssertEqual(ImageSniffer.sniff(Data(bytes)), .damagedPNG, label)
            assertRejects(Data(bytes), .corrupt, "a PNG damaged by a text-mode transfer (CR/LF conversion)", label)
        }
    }

    func testZeroWidthOrHeightIsInvalidNotTooLarge() {
        let png = Data(TestImages.pngSignature + TestImages.ihdr(width: 0, height: 10) + TestImages.chunk("IEND", []))
        assertRejects(png, .corrupt, "invalid PNG: zero width or height")
        var jpeg = [UInt8](TestImages.jpeg(width: 16, height: 16))
        let sof = jpeg.indices.first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 }!
        jpeg[sof + 5] = 0
        jpeg[sof + 6] = 0  // height 0
        assertRejects(Data(jpeg), .corrupt, "invalid JPEG: zero width or height")
        let vp8 = Self.bytes("VP8 ") + [10, 0, 0, 0, 0x50, 0x01, 0x00, 0x9D, 0x01, 0x2A, 0, 0, 10, 0]
        assertRejects(TestImages.riff(vp8), .corrupt, "invalid WebP: zero width or height")
    }
}
