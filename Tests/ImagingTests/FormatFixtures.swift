import Foundation
import Imaging

/// Small WebP, GIF, HEIC and AVIF fixtures made in the test: libwebp and libheif encode (through ImageEncoder);
/// GIF and animated WebP containers are assembled here byte by byte.
enum FormatFixtures {
    /// RGBA pixels: the gradient, with the left half of the top row fully transparent when `transparent`.
    static func rgba(width: Int, height: Int, transparent: Bool) -> [UInt8] {
        var pixels = TestImages.gradient(width: width, height: height, channels: 4)
        for i in stride(from: 3, to: pixels.count, by: 4) { pixels[i] = 255 }
        if transparent { for x in 0..<width / 2 { pixels[x * 4 + 3] = 0 } }
        return pixels
    }

    static func webp(width: Int = 64, height: Int = 48, lossless: Bool = false, alpha: Bool = false) -> Data {
        let channels = alpha ? 4 : 3
        let pixels =
            alpha
            ? rgba(width: width, height: height, transparent: true)
            : PreparationImages.photo(width: width, height: height)
        return try! ImageEncoder.encodeWebP(
            pixels: pixels, width: width, height: height, channels: channels,
            quality: 90, lossless: lossless)
    }

    /// An animated WebP: VP8X (animation flag), ANIM, then one ANMF per frame wrapping a lossless still's VP8L chunk.
    /// Frame `i` is filled with `colours[i]`.
    static func animatedWebP(width: Int, height: Int, colours: [[UInt8]]) -> Data {
        func le24(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            Array(type.utf8) + TestImages.littleEndian32(UInt32(body.count)) + body + (body.count % 2 == 1 ? [0] : [])
        }
        var chunks = chunk("VP8X", [0x02, 0, 0, 0] + le24(width - 1) + le24(height - 1))
        chunks += chunk("ANIM", [255, 255, 255, 255, 0, 0])
        for colour in colours {
            let pixels = Array((0..<(width * height)).map { _ in colour }.joined())
            let still = try! ImageEncoder.encodeWebP(pixels: pixels, width: width, height: height, channels: 3, lossless: true)
            let frameData = [UInt8](still.dropFirst(12))  // the VP8L chunk
            chunks += chunk("ANMF", le24(0) + le24(0) + le24(width - 1) + le24(height - 1) + le24(100) + [0] + frameData)
        }
        return TestImages.riff(chunks)
    }

    /// One GIF frame: palette indices (row-major), its place on the screen, and how it is stored.
    struct GIFFrame {
        var indices: [UInt8]
        var left = 0, top = 0, width: Int, height: Int
        var interlaced = false
        var transparentIndex: Int? = nil
    }

    /// A GIF89a with a 256-colour global table (`palette`, RGB triples, padded with black) and the given frames.
    /// Pixel data is LZW-coded with 9-bit literal codes only (a clear code every 250), which any decoder reads.
    static func gif(width: Int, height: Int, palette: [[UInt8]], frames: [GIFFrame], trailer: Bool = true) -> Data {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        var bytes = Array("GIF89a".utf8) + le16(width) + le16(height) + [0xF7, 0, 0]
        for i in 0..<256 { bytes += i < palette.count ? palette[i] : [0, 0, 0] }
        if frames.count > 1 { bytes += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0] }
        for frame in frames {
            let transparent = frame.transparentIndex
            bytes += [0x21, 0xF9, 4, transparent == nil ? 0 : 1, 10, 0, UInt8(transparent ?? 0), 0]
            bytes +=
                [0x2C] + le16(frame.left) + le16(frame.top) + le16(frame.width) + le16(frame.height)
                + [frame.interlaced ? 0x40 : 0]
            let rows = frame.interlaced ? interlacedRowOrder(frame.height) : Array(0..<frame.height)
            let ordered = rows.flatMap { frame.indices[($0 * frame.width)..<(($0 + 1) * frame.width)] }
            bytes += [8] + subBlocks(lzwLiterals(ordered)) + [0]
        }
        if trailer { bytes.append(0x3B) }
        return Data(bytes)
    }

    /// GIF interlacing stores rows 0, 8, 16…, then 4, 12…, then 2, 6…, then 1, 3….
    static func interlacedRowOrder(_ height: Int) -> [Int] {
        [(0, 8), (4, 8), (2, 4), (1, 2)].flatMap { start, step in Array(stride(from: start, to: height, by: step)) }
    }

    /// LZW with code size 8: clear (256), the indices as 9-bit codes with a clear every 250, end (257); LSB first.
    private static func lzwLiterals(_ indices: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        func emit(_ code: Int) {
            buffer |= code << bits
            bits += 9
            while bits >= 8 {
                out.append(UInt8(buffer & 0xFF))
                buffer >>= 8
                bits -= 8
            }
        }
        for (i, index) in indices.enumerated() {
            if i % 250 == 0 { emit(256) }
            emit(Int(index))
        }
        emit(257)
        if bits > 0 { out.append(UInt8(buffer & 0xFF)) }
        return out
    }

    private static func subBlocks(_ data: [UInt8]) -> [UInt8] {
        stride(from: 0, to: data.count, by: 255).flatMap { start -> [UInt8] in
            let block = data[start..<min(start + 255, data.count)]
            return [UInt8(block.count)] + block
        }
    }

    /// A GIF whose one frame shows `PreparationImages.quadrants` colours (palette indices 0-3).
    static func quadrantGIF(width: Int, height: Int, interlaced: Bool = false) -> Data {
        let palette = [PreparationImages.red, PreparationImages.green, PreparationImages.blue, PreparationImages.yellow]
        var indices = [UInt8]()
        for y in 0..<height { for x in 0..<width { indices.append(UInt8((y < height / 2 ? 0 : 2) + (x < width / 2 ? 0 : 1))) } }
        return gif(
            width: width, height: height, palette: palette,
            frames: [GIFFrame(indices: indices, width: width, height: height, interlaced: interlaced)])
    }

    /// A HEIC (or AVIF) of the quadrant picture stored so that, turned per `orientation`, it shows red/green/blue/
    /// yellow corners (TL, TR, BL, BR) at 96x64.
    static func orientedHEIF(orientation: Int, avif: Bool = false) -> Data {
        let (row0, column0) = OrientationTests.exifTable[orientation]!
        let lastRow = OrientationTests.opposite(row0)
        let lastColumn = OrientationTests.opposite(column0)
        let colours = [
            OrientationTests.cornerColour(row0, column0), OrientationTests.cornerColour(row0, lastColumn),
            OrientationTests.cornerColour(lastRow, column0), OrientationTests.cornerColour(lastRow, lastColumn),
        ]
        let (w, h) = orientation >= 5 ? (64, 96) : (96, 64)
        return try! ImageEncoder.encodeHEIF(
            pixels: PreparationImages.quadrants(width: w, height: h, colours),
            width: w, height: h, channels: 3, quality: 90, avif: avif,
            orientation: orientation)
    }
}
