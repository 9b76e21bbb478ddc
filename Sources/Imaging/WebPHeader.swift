/// Reads a WebP's canvas size from its first chunk (VP8, VP8L or VP8X) without decoding it.
enum WebPHeader {
    /// `bytes` starts with "RIFF????WEBP"; the first chunk header sits at offset 12, its data at 20.
    static func dimensions(_ bytes: [UInt8]) throws(ImageError) -> (width: Int, height: Int) {
        guard bytes.count >= 20 else { throw corrupt("header too short to give dimensions") }
        let chunk = String(decoding: bytes[12..<16], as: UTF8.self)
        switch chunk {
        case "VP8 ":  // lossy: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height
            guard bytes.count >= 30 else { throw corrupt("VP8 header too short to give dimensions") }
            guard bytes[23...25].elementsEqual([0x9D, 0x01, 0x2A]) else { throw corrupt("bad VP8 start code") }
            return try nonZero(littleEndian(bytes, 26, 2) & 0x3FFF, littleEndian(bytes, 28, 2) & 0x3FFF)
        case "VP8L":  // lossless: signature 0x2f, then 14 bits width-1 and 14 bits height-1
            guard bytes.count >= 25 else { throw corrupt("VP8L header too short to give dimensions") }
            guard bytes[20] == 0x2F else { throw corrupt("bad VP8L signature") }
            let bits = littleEndian(bytes, 21, 4)
            return (width: (bits & 0x3FFF) + 1, height: ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":  // extended: 4 bytes flags, then 24-bit canvas width-1 and height-1
            guard bytes.count >= 30 else { throw corrupt("VP8X header too short to give dimensions") }
            return (width: littleEndian(bytes, 24, 3) + 1, height: littleEndian(bytes, 27, 3) + 1)
        default:
            throw corrupt("first chunk is \"\(chunk)\", not VP8, VP8L or VP8X")
        }
    }

    private static func littleEndian(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    private static func nonZero(_ width: Int, _ height: Int) throws(ImageError) -> (width: Int, height: Int) {
        guard width > 0, height > 0 else { throw corrupt("zero width or height") }
        return (width, height)
    }

    private static func corrupt(_ reason: String) -> ImageError { ImageError(.corrupt, "corrupt WebP: \(reason)") }
}
