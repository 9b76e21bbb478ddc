/// Reads a GIF's logical screen size from its header without decoding it.
enum GIFHeader {
    /// `bytes` starts with "GIF87a" or "GIF89a"; width and height are little-endian at offsets 6 and 8.
    static func dimensions(_ bytes: [UInt8]) throws(ImageError) -> (width: Int, height: Int) {
        guard bytes.count >= 10 else { throw ImageError(.corrupt, "corrupt GIF: header too short to give dimensions") }
        let width = Int(bytes[6]) | Int(bytes[7]) << 8
        let height = Int(bytes[8]) | Int(bytes[9]) << 8
        guard width > 0, height > 0 else { throw ImageError(.corrupt, "corrupt GIF: zero width or height") }
        return (width, height)
    }
}
