/// Standard-alphabet, padded base64 encoding straight into a caller buffer.
enum Base64Encoder {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Encodes `input` into `output` (which must hold 4*ceil(n/3) bytes); returns bytes written.
    /// Only the last call for a source may pass a length that is not a multiple of 3.
    static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let needed = 4 * ((input.count + 2) / 3)
        precondition(output.count >= needed, "base64 output buffer too small")
        guard input.count > 0 else { return 0 }
        let src = input.bindMemory(to: UInt8.self)
        let dst = output.bindMemory(to: UInt8.self)
        return alphabet.withUnsafeBufferPointer { table in
            var i = 0
            var o = 0
            let whole = input.count - input.count % 3
            while i < whole {
                let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
                dst[o] = table[Int(v >> 18)]
                dst[o + 1] = table[Int(v >> 12 & 63)]
                dst[o + 2] = table[Int(v >> 6 & 63)]
                dst[o + 3] = table[Int(v & 63)]
                i += 3
                o += 4
            }
            let rest = input.count - whole
            if rest > 0 {
                let v = UInt32(src[i]) << 16 | (rest == 2 ? UInt32(src[i + 1]) << 8 : 0)
                dst[o] = table[Int(v >> 18)]
                dst[o + 1] = table[Int(v >> 12 & 63)]
                dst[o + 2] = rest == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                dst[o + 3] = UInt8(ascii: "=")
                o += 4
            }
            return o
        }
    }
}
