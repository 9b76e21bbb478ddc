internal import CShims
import FoundationEssentials

/// Walks a PNG's chunks for what libpng passes over: ancillary chunks with a bad CRC (libpng drops them with a
/// warning, but other readers refuse the file), APNG animation, and the orientation in an `eXIf` chunk.
struct PNGChunkInspector {
    /// Ancillary chunks whose CRC does not match, e.g. ["iCCP"].
    private(set) var damagedChunks: [String] = []
    /// Frames an `acTL` chunk declares (APNG); nil for a still PNG.
    private(set) var animationFrames: Int?
    /// From a sound `eXIf` chunk; `.up` without one.
    private(set) var orientation = ExifOrientation.up

    /// Inspects `data`, which starts with the PNG signature; stops quietly at anything malformed (libpng reports it).
    init(_ data: Data) {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
            var offset = 8
            while offset + 12 <= bytes.count {
                let length = u32(offset)
                let end = offset + 12 + length
                guard length <= Int(Int32.max), end <= bytes.count else { return }
                let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
                if type == "IEND" { return }
                let ancillary = bytes[offset + 4] & 0x20 != 0
                if ancillary {
                    let crc = vq_png_crc(bytes.baseAddress! + offset + 4, length + 4)
                    if Int(crc) != u32(offset + 8 + length) {
                        damagedChunks.append(type)
                    } else if type == "acTL", length >= 8 {
                        animationFrames = u32(offset + 8)
                    } else if type == "eXIf" {
                        // Some writers keep JPEG's "Exif\0\0" prefix in front of the TIFF data.
                        let prefixed = length >= 6 && bytes[(offset + 8)..<(offset + 14)].elementsEqual(Array("Exif\0\0".utf8))
                        let start = offset + 8 + (prefixed ? 6 : 0)
                        let tiff = UnsafeRawBufferPointer(rebasing: raw[start..<(offset + 8 + length)])
                        orientation = ExifOrientationReader.orientation(inTIFF: tiff) ?? .up
                    }
                }
                offset = end
            }
        }
    }
}
