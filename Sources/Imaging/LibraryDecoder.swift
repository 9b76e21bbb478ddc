internal import CShims
import FoundationEssentials
import TextFormatting

/// Runs the format libraries (libpng, libjpeg-turbo, libwebp, giflib, libheif, libtiff) through the C shims; the one place
/// their status codes become `ImageError`s.
enum LibraryDecoder {
    typealias Shim = (
        UnsafePointer<UInt8>?, Int, vq_image_limits, UnsafeMutablePointer<UInt32>,
        UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<CChar>
    ) -> vq_image_status
    typealias HeaderShim = (
        UnsafePointer<UInt8>?, Int, vq_image_limits, UnsafeMutablePointer<vq_image_facts>,
        UnsafeMutablePointer<CChar>
    ) -> vq_image_status
    typealias DecodeShim = (
        UnsafePointer<UInt8>?, Int, vq_image_limits, UInt32, UInt32, UnsafeMutablePointer<vq_pixels>,
        UnsafeMutablePointer<vq_image_facts>, UnsafeMutablePointer<CChar>
    ) -> vq_image_status

    /// Fully decodes `data` without keeping pixels (JPEG at DCT scale 1/8; every frame of an animation).
    static func validate(_ data: Data, as format: ImageFormat, limits: ImageLimits) throws(ImageError) -> ImageInfo {
        switch format {
        case .png: return try run(vq_png_validate, data, format, limits)
        case .jpeg: return try run(vq_jpeg_validate, data, format, limits)
        case .webp, .gif, .heic, .avif, .tiff:
            let info = try readHeader(data, as: format, limits: limits)
            _ = try decode(
                data, as: format, limits: limits,
                target: PixelSize(width: min(info.width, 8), height: min(info.height, 8)))
            return info
        }
    }

    /// Reads the header only: format, size and the limits check, no pixels decoded.
    static func readHeader(_ data: Data, as format: ImageFormat, limits: ImageLimits) throws(ImageError) -> ImageInfo {
        let shim: HeaderShim
        switch format {
        case .png: return try run(vq_png_read_header, data, format, limits)
        case .jpeg: return try run(vq_jpeg_read_header, data, format, limits)
        case .webp: shim = vq_webp_read_header
        case .gif: shim = vq_gif_read_header
        case .heic, .avif: shim = vq_heif_read_header
        case .tiff: shim = vq_tiff_read_header
        }
        var facts = vq_image_facts()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = data.withUnsafeBytes { raw in
            shim(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, limits.c, &facts, &message)
        }
        guard status == VQ_IMAGE_OK else {
            throw error(status, format, message, limits, reportedSize: PixelSize(width: Int(facts.width), height: Int(facts.height)))
        }
        return ImageInfo(format: format, width: Int(facts.width), height: Int(facts.height))
    }

    /// Fully decodes and validates `data` (same checks and messages as `validate`), area-averaged to `target`
    /// (at most the image's size; stored orientation, except HEIF and TIFF, whose irot/imir or Orientation tag the
    /// decoder applies). JPEGs decode
    /// at the smallest DCT scale covering `target`; an animation yields its first frame and its frame count.
    static func decode(
        _ data: Data, as format: ImageFormat, limits: ImageLimits,
        target: PixelSize
    ) throws(ImageError) -> PixelBuffer {
        precondition(target.width > 0 && target.height > 0, "decode target must be positive")
        let pixels = PixelBuffer()
        var facts = vq_image_facts()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = data.withUnsafeBytes { raw in
            let base = raw.bindMemory(to: UInt8.self).baseAddress
            let (w, h) = (UInt32(target.width), UInt32(target.height))
            switch format {
            case .png: return vq_png_decode(base, raw.count, limits.c, w, h, &pixels.raw, &message)
            case .jpeg: return vq_jpeg_decode(base, raw.count, limits.c, w, h, &pixels.raw, &message)
            case .webp: return vq_webp_decode(base, raw.count, limits.c, w, h, &pixels.raw, &facts, &message)
            case .gif: return vq_gif_decode(base, raw.count, limits.c, w, h, &pixels.raw, &facts, &message)
            case .heic, .avif: return vq_heif_decode(base, raw.count, limits.c, w, h, &pixels.raw, &facts, &message)
            case .tiff: return vq_tiff_decode(base, raw.count, limits.c, w, h, &pixels.raw, &facts, &message)
            }
        }
        if status != VQ_IMAGE_OK {
            let declared = facts.width > 0 || facts.height > 0
            let reported = declared ? PixelSize(width: Int(facts.width), height: Int(facts.height)) : nil
            throw error(status, format, message, limits, reportedSize: reported)
        }
        pixels.frames = max(1, Int(facts.frames))
        return pixels
    }

    private static func run(
        _ shim: Shim, _ data: Data, _ format: ImageFormat,
        _ limits: ImageLimits
    ) throws(ImageError) -> ImageInfo {
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
    private static func error(
        _ status: vq_image_status, _ format: ImageFormat, _ message: [CChar],
        _ limits: ImageLimits, reportedSize: PixelSize?
    ) -> ImageError {
        let name = format.displayName
        // libjpeg words some messages "Corrupt JPEG data: ..."; after our own "corrupt JPEG: " that would stutter.
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            .replacingScalars("Corrupt JPEG data: ", with: "")
            .split(whereSeparator: \.isNewline).joined(separator: " ")  // libheif's messages may span lines
        switch status {
        case VQ_IMAGE_TOO_LARGE:
            if let size = reportedSize {
                do {
                    try limits.check(format, width: size.width, height: size.height)
                } catch {
                    return error
                }
            }
            guard !reason.isEmpty else {
                preconditionFailure("shim reported \(name) as too large without a size over the limits or a reason")
            }
            return ImageError(.tooLarge, "\(name) is too large: \(reason)")
        case VQ_IMAGE_ZERO_SIZE:
            return ImageError(.corrupt, "invalid \(name): zero width or height")
        case VQ_IMAGE_TOO_MANY_SCANS:
            return ImageError(.tooLarge, "\(name) has more than \(limits.maxJPEGScans) scans, over the limit for progressive images")
        case VQ_IMAGE_UNSUPPORTED:
            return ImageError(.unsupported, "unsupported \(name) variant (\(reason)); convert it first, e.g. `convert in.\(format.fileExtension) out.png`")
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
        vq_image_limits(
            max_pixels: UInt64(maxPixels), max_side: UInt32(clamping: maxSide),
            max_jpeg_scans: UInt32(clamping: maxJPEGScans))
    }
}
