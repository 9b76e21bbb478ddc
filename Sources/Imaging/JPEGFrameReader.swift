/// Reads which start-of-frame marker a JPEG declares, to tell arithmetic-coded JPEGs (SOF9–SOF15, or a DAC table)
/// from Huffman-coded ones: libjpeg reads them, but Pillow's wheels and many services' decoders do not.
enum JPEGFrameReader {
    /// Whether the header segments before the first scan declare arithmetic coding; false for malformed headers
    /// (the validator reports those).
    static func isArithmeticCoded(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return false }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return false }
            let marker = bytes[offset + 1]
            if marker == 0xFF {  // fill byte
                offset += 1
                continue
            }
            if marker == 0xDA || marker == 0xD9 { return false }  // the first scan or the end: no frame said so
            if (0xD0...0xD7).contains(marker) || marker == 0x01 {  // no length field
                offset += 2
                continue
            }
            // SOF9–SOF11 and SOF13–SOF15 are the arithmetic frames; DAC (0xCC) defines arithmetic conditioning.
            if [0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF].contains(marker) { return true }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2 else { return false }
            offset += 2 + length
        }
        return false
    }
}
