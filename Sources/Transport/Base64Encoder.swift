internal import CShims

/// Standard-alphabet, padded base64 encoding straight into a caller buffer (C: 16 characters per SSSE3 step, so the
/// megabytes of an image cost a fraction of a millisecond).
enum Base64Encoder {
    /// Encodes `input` into `output` (which must hold 4*ceil(n/3) bytes); returns bytes written.
    /// Only the last call for a source may pass a length that is not a multiple of 3.
    static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let needed = 4 * ((input.count + 2) / 3)
        precondition(output.count >= needed, "base64 output buffer too small")
        guard input.count > 0, let source = input.baseAddress, let destination = output.baseAddress else { return 0 }
        return vq_base64_encode(
            source.assumingMemoryBound(to: UInt8.self), input.count, destination.assumingMemoryBound(to: UInt8.self))
    }
}
