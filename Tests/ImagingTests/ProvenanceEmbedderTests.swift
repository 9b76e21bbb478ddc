import CTestSupport
import Foundation
import Imaging
import XCTest

/// Provenance written into JPEG and WebP files is read back by libjpeg's marker reader and libwebpdemux (readers
/// independent of vq's writer); the images still decode to the same pixels' size; content credentials stop it.
final class ProvenanceEmbedderTests: XCTestCase {
    private let json = #"{"generator":"vq","prompt":"a fox <at> dusk & \"rain\""}"#

    private func embedded(_ data: Data, _ format: ImageFormat, width: Int, height: Int) throws -> Data {
        guard case .embedded(let written) = ProvenanceEmbedder.embed(json: json, description: "a fox", into: data, format: format, width: width, height: height)
        else {
            XCTFail("the embedder refused a plain \(format) file")
            return data
        }
        return written
    }

    private func read(_ data: Data, _ reader: (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<CChar>?, Int) -> Int) -> String? {
        var out = [CChar](repeating: 0, count: 1 << 16)
        let length = data.withUnsafeBytes { reader($0.bindMemory(to: UInt8.self).baseAddress, data.count, &out, out.count) }
        guard length >= 0 else { return nil }
        return String(decoding: out.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private var escapedJSON: String { #"{&quot;generator&quot;:&quot;vq&quot;,&quot;prompt&quot;:&quot;a fox &lt;at&gt; dusk &amp; \&quot;rain\&quot;&quot;}"# }

    func testJPEGCarriesXMPThatLibjpegReads() throws {
        let pixels = (0..<(16 * 12 * 3)).map { UInt8(truncatingIfNeeded: $0 * 5) }
        let original = try ImageEncoder.encodeJPEG(pixels: pixels, width: 16, height: 12, channels: 3)
        let written = try embedded(original, .jpeg, width: 16, height: 12)
        let xmp = try XCTUnwrap(read(written) { vq_test_jpeg_xmp($0, $1, $2, $3) }, "libjpeg finds an XMP APP1 segment")
        XCTAssertTrue(xmp.contains("<vq:provenance>\(escapedJSON)</vq:provenance>"), xmp)
        XCTAssertTrue(xmp.contains(#"<rdf:li xml:lang="x-default">a fox</rdf:li>"#), xmp)
        let decoded = try ImageDecoder.decodeRGB(written)
        XCTAssertEqual(decoded, try ImageDecoder.decodeRGB(original), "the image data is untouched")
    }

    func testLossyAndLosslessWebPCarryXMPThatLibwebpReads() throws {
        let rgb = (0..<(10 * 6 * 3)).map { UInt8(truncatingIfNeeded: $0 * 3) }
        let rgba: [UInt8] = (0..<(10 * 6)).flatMap { index -> [UInt8] in [UInt8(truncatingIfNeeded: index), 40, 90, index % 2 == 0 ? 0 : 255] }
        for (original, label) in [
            (try ImageEncoder.encodeWebP(pixels: rgb, width: 10, height: 6, channels: 3), "lossy VP8"),
            (try ImageEncoder.encodeWebP(pixels: rgba, width: 10, height: 6, channels: 4, lossless: true), "lossless VP8L with alpha"),
        ] {
            let written = try embedded(original, .webp, width: 10, height: 6)
            XCTAssertNil(read(original) { vq_test_webp_xmp($0, $1, $2, $3) }, "\(label): no XMP before")
            let xmp = try XCTUnwrap(read(written) { vq_test_webp_xmp($0, $1, $2, $3) }, "\(label): libwebpdemux finds the XMP chunk")
            XCTAssertTrue(xmp.contains("<vq:provenance>\(escapedJSON)</vq:provenance>"), xmp)
            XCTAssertEqual(try ImageDecoder.decodeRGB(written), try ImageDecoder.decodeRGB(original), "\(label): the same pixels, alpha included")
        }
    }

    func testContentCredentialsAreLeftExactlyAsTheyAre() throws {
        // A PNG with a caBX (C2PA) chunk before IEND.
        let png = try ImageEncoder.encodePNG(pixels: [UInt8](repeating: 9, count: 4 * 4 * 3), width: 4, height: 4, channels: 3)
        var credentialed = png.prefix(png.count - 12)
        credentialed.append(contentsOf: [0, 0, 0, 4] + Array("caBX".utf8) + [1, 2, 3, 4, 0, 0, 0, 0])
        credentialed.append(png.suffix(12))
        XCTAssertEqual(
            ProvenanceEmbedder.embed(json: json, description: "", into: Data(credentialed), format: .png, width: 4, height: 4), .keptContentCredentials)
        // A JPEG with an APP11 (JUMBF) segment after SOI.
        let jpeg = try ImageEncoder.encodeJPEG(pixels: [UInt8](repeating: 9, count: 8 * 8 * 3), width: 8, height: 8, channels: 3)
        var signed = Data(jpeg.prefix(2))
        signed.append(contentsOf: [0xFF, 0xEB, 0x00, 0x06] + Array("JP".utf8) + [0, 0])
        signed.append(jpeg.dropFirst(2))
        XCTAssertEqual(ProvenanceEmbedder.embed(json: json, description: "", into: signed, format: .jpeg, width: 8, height: 8), .keptContentCredentials)
    }

    func testPNGTextChunkKeepsTheFileValid() throws {
        let png = try ImageEncoder.encodePNG(pixels: [UInt8](repeating: 200, count: 5 * 3 * 3), width: 5, height: 3, channels: 3)
        let written = try embedded(png, .png, width: 5, height: 3)
        var out = [CChar](repeating: 0, count: 4096)
        let length = written.withUnsafeBytes {
            vq_test_png_text($0.bindMemory(to: UInt8.self).baseAddress, written.count, ProvenanceEmbedder.keyword, &out, out.count)
        }
        XCTAssertEqual(length, json.utf8.count, "libpng reads the iTXt chunk whole (its CRC checked)")
        XCTAssertEqual(try ImageDecoder.decodeRGB(written), try ImageDecoder.decodeRGB(png))
    }
}
