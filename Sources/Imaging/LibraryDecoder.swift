internal import CShims
import Foundation

/// Runs PNG (libpng) and JPEG (libjpeg-turbo) operations through the C shims; the one place their status codes become `ImageError`s.
enum LibraryDecoder {
    typealias Shim = (UnsafePointer<UInt8>?, Int, vq_image_limits, UnsafeMutablePointer<UInt32>,
                      UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<CChar>) -> vq_image_status

    /// Fully decodes `data` without keeping pixels (JPEG at DCT scale 1/8).
    static func validate(_ data: Data, as format: ImageFormat, limits: ImageLimits) throws(ImageError) -> ImageInfo {
        try run(format == .png ? vq_png_validate : vq_jpeg_validate, data, format, limits)
    }

    /// Reads the header only: format, size and the limits check, no pixels decoded.
    static func readHeader(_ data: Data, as format: ImageFormat, limits: ImageLimits) throws(ImageError) -> ImageInfo {
        try run(format == .png ? vq_png_read_header : vq_jpeg_read_header, data, format, limits)
    }

    /// Fully decodes and validates `data` (same checks and messages as `validate`), area-averaged to `target`
    /// (stored orientation; at most the image's size). JPEGs decode at the smallest DCT scale covering `target`.
    static func decode(_ data: Data, as format: ImageFormat, limits: ImageLimits,
                       target: PixelSize) throws(ImageError) -> PixelBuffer {
        precondition(target.width > 0 && target.height > 0, "decode target must be positive")
        let pixels = PixelBuffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress
            let (w, h) = (UInt32(target.width), UInt32(target.height))
            return format == .png
                ? vq_png_decode(base, raw.count, limits.c, w, h, &pixels.raw, &message)
                : vq_jpeg_decode(base, raw.count, limits.c, w, h, &pixels.raw, &message)
        }
        if status != VQ_IMAGE_OK {
            throw error(status, format, message, limits, reportedSize: nil)
        }
        return pixels
    }

    private static func run(_ shim: Shim, _ data: Data, _ format: ImageFormat,
                            _ limits: ImageLimits) throws(ImageError) -> ImageInfo {
        precondition(format == .png || format == .jpeg, "\(format) is read from its header, not by a library")
        var width: UInt32 = 0
        var height: UInt32 = 0
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = data.withUnsafeBytes { raw in
            shim(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limits.c, &width, &height, &message)
        }
        guard status == VQ_IMAGE_OK else {
            throw error(status, format, message, limits, reportedSize: PixelSize(width: Int(width), height: Int(height)))
        }
        return ImageInfo(format: format, width: Int(width), height: Int(height))
    }

    /// The `ImageError` for a failed shim call.
    private static func error(_ status: vq_image_status, _ format: ImageFormat, _ message: [CChar],
                              _ limits: ImageLimits, reportedSize: PixelSize?) -> ImageError {
        let name = format.displayName
        // libjpeg words some messages "Corrupt JPEG data: ..."; after our own "corrupt JPEG: " that would stutter.
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            .replacingOccurrences(of: "Corrupt JPEG data: ", with: "")
        switch status {
        case VQ_IMAGE_TOO_LARGE:
            guard let size = reportedSize else {
                preconditionFailure("decode reported too large after the header was checked")
            }
            do {
                try limits.check(format, width: size.width, height: size.height)
            } catch {
                return error
            }
            preconditionFailure("shim reported \(size.width)x\(size.height) as too large, but it is within the limits")
        case VQ_IMAGE_TOO_MANY_SCANS:
            return ImageError(.tooLarge, "\(name) has more than \(limits.maxJPEGScans) scans, over the limit for progressive images")
        case VQ_IMAGE_UNSUPPORTED:
            return ImageError(.unsupported, "unsupported \(name) variant (\(reason)); convert it first, e.g. `convert in.jpg out.png`")
        case VQ_IMAGE_CORRUPT:
            return ImageError(.corrupt, "corrupt \(name): \(reason)")
        default:
            return ImageError(.corrupt, "\(name) could not be decoded: \(reason)")
        }
    }
}

extension ImageLimits {
    /// The limits as the C shims take them.
    var c: vq_image_limits {
        vq_image_limits(max_pixels: UInt64(maxPixels), max_side: UInt32(clamping: maxSide),
                        max_jpeg_scans: UInt32(clamping: maxJPEGScans))
    }
}
