import Foundation
import Imaging

/// Deterministic test images made with ImageEncoder, plus byte-level tools to damage or handcraft them.
enum TestImages {
    /// A smooth gradient with `channels` 8-bit samples per pixel (row-major, top to bottom).
    static func gradient(width: Int, height: Int, channels: Int) -> [UInt8] {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    pixels.append(UInt8(truncatingIfNeeded: x * 255 / max(width - 1, 1) + y * 3 + c * 40))
                }
            }
        }
        return pixels
    }

    /// The same gradient with 16-bit big-endian samples.
    static func gradient16(width: Int, height: Int, channels: Int) -> [UInt8] {
        gradient(width: width, height: height, channels: channels).flatMap { [$0, $0 &* 7] }
    }

    static func png(width: Int = 64, height: Int = 48, channels: Int = 3, interlaced: Bool = false) -> Data {
        try! ImageEncoder.encodePNG(
            pixels: gradient(width: width, height: height, channels: channels),
            width: width, height: height, channels: channels, interlaced: interlaced)
    }

    static func jpeg(
        width: Int = 64, height: Int = 48, channels: Int = 3, progressive: Bool = false,
        arithmetic: Bool = false
    ) -> Data {
        try! ImageEncoder.encodeJPEG(
            pixels: gradient(width: width, height: height, channels: channels),
            width: width, height: height, channels: channels,
            progressive: progressive, arithmeticCoding: arithmetic)
    }

    // MARK: PNG chunks

    /// CRC-32 (ISO 3309, as used by PNG) over `bytes`.
    static func crc32<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG chunk with a correct CRC.
    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typeAndBody = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typeAndBody + bigEndian(crc32(typeAndBody))
    }

    /// An IHDR chunk declaring 8-bit RGB at the given size.
    static func ihdr(width: UInt32, height: UInt32) -> [UInt8] {
        chunk("IHDR", bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0])
    }

    /// Where each chunk of a PNG starts (offset of its length field), by type, in file order.
    static func chunks(_ png: Data) -> [(type: String, offset: Int, length: Int)] {
        let bytes = [UInt8](png)
        var result: [(String, Int, Int)] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            result.append((String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self), offset, length))
            offset += 12 + length
        }
        return result
    }

    /// `data` with one byte XOR-ed.
    static func flipping(_ data: Data, at index: Int, mask: UInt8 = 0xFF) -> Data {
        var copy = data
        copy[copy.startIndex + index] ^= mask
        return copy
    }

    /// `png` with one byte inside the first IDAT's data flipped; `fixCRC` recomputes that chunk's CRC.
    static func pngWithDamagedIDAT(_ png: Data, fixCRC: Bool) -> Data {
        let idat = chunks(png).first { $0.type == "IDAT" }!
        var bytes = [UInt8](png)
        bytes[idat.offset + 8 + idat.length / 2] ^= 0x55
        if fixCRC {
            let crcOffset = idat.offset + 8 + idat.length
            bytes.replaceSubrange(
                crcOffset..<crcOffset + 4,
                with: bigEndian(crc32(bytes[idat.offset + 4..<crcOffset])))
        }
        return Data(bytes)
    }

    // MARK: Other formats' headers (for sniffing; FormatFixtures has decodable files)

    /// A minimal lossless WebP: RIFF header, then a VP8L chunk whose bitstream header encodes the size.
    static func webpLossless(width: Int, height: Int) -> Data {
        let bits = UInt32(width - 1) | UInt32(height - 1) << 14
        let body: [UInt8] = [
            0x2F, UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF),
            UInt8(bits >> 24),
        ]
        return riff(Array("VP8L".utf8) + littleEndian32(UInt32(body.count)) + body + [0])
    }

    static func riff(_ chunks: [UInt8]) -> Data {
        Data(Array("RIFF".utf8) + littleEndian32(UInt32(chunks.count + 4)) + Array("WEBP".utf8) + chunks)
    }

    static func littleEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    /// A GIF header (signature + logical screen descriptor) followed by a trailer.
    static func gif(_ version: String = "GIF89a", width: Int, height: Int) -> Data {
        Data(
            Array(version.utf8) + [UInt8(width & 0xFF), UInt8(width >> 8), UInt8(height & 0xFF), UInt8(height >> 8)]
                + [0, 0, 0, 0x3B])
    }

    /// An ISO media "ftyp" box with a major brand and compatible brands, as HEIC/AVIF files start.
    static func ftyp(major: String, compatible: [String]) -> Data {
        let body = Array(major.utf8) + [0, 0, 0, 0] + compatible.flatMap { Array($0.utf8) }
        return Data(bigEndian(UInt32(8 + body.count)) + Array("ftyp".utf8) + body + [0, 0, 0, 8] + Array("meta".utf8))
    }
}
