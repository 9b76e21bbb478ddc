internal import CShims
import FoundationEssentials

/// Predicts how large a PNG of some pixels would be by encoding a sample of row bands, at about a tenth of the
/// cost of encoding them all, so the PNG-or-JPEG choice need not encode a PNG only to throw it away.
enum PNGSizeEstimate {
    /// Bands spread evenly from top to bottom, each this many rows tall (PNG filters look one row up).
    static let bands = 8
    static let rowsPerBand = 16

    /// The estimated PNG size in bytes; nil when the image is too small for sampling to save much.
    static func of(_ pixels: PixelBuffer) throws(ImageError) -> Int? {
        guard let sample = sampledRows(pixels) else { return nil }
        let png = try ImageEncoder.encodePNG(
            pixels: sample.bytes, width: pixels.width, height: sample.rows,
            channels: pixels.channels)
        return png.count * pixels.height / sample.rows
    }

    /// The rows of the sampled bands, one after another; nil when the image is too small for sampling to save much.
    static func sampledRows(_ pixels: PixelBuffer) -> (bytes: [UInt8], rows: Int)? {
        let sampledRows = bands * rowsPerBand
        guard pixels.height >= sampledRows * 4 else { return nil }
        let stride = pixels.width * pixels.channels
        var sample = [UInt8]()
        sample.reserveCapacity(sampledRows * stride)
        for band in 0..<bands {
            let top = (pixels.height - rowsPerBand) * band / (bands - 1)
            sample += UnsafeBufferPointer(start: pixels.raw.bytes + top * stride, count: rowsPerBand * stride)
        }
        return (sample, sampledRows)
    }
}
