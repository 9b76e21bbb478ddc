import CShims
import Foundation

/// Fully decodes PNG (libpng) and JPEG (libjpeg-turbo) through the C shims; the one place their status codes become `ImageError`s.
enum LibraryDecoder {
    typealias Shim = (UnsafePointer<UInt8>?, Int, vq_image_limits, UnsafeMutablePointer<UInt32>,
                      UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<CChar>) -> vq_image_status

    static func validate(_ data: Data, as format: ImageFormat, limits: ImageLimits) throws(ImageError) -> ImageInfo {
        let shim: Shim
        switch format {
        case .png: shim = vq_png_validate
        case .jpeg: shim = vq_jpeg_validate
        case .webp, .gif: preconditionFailure("\(format) is validated from its header, not by a library decoder")
        }
        let cLimits = vq_image_limits(max_pixels: UInt64(limits.maxPixels), max_side: UInt32(clamping: limits.maxSide),
                                      max_jpeg_scans: UInt32(clamping: limits.maxJPEGScans))
        var width: UInt32 = 0
        var height: UInt32 = 0
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = data.withUnsafeBytes { raw in
            shim(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, cLimits, &width, &height, &message)
        }
        let name = format.displayName
        // libjpeg words some messages "Corrupt JPEG data: ..."; after our own "corrupt JPEG: " that would stutter.
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            .replacingOccurrences(of: "Corrupt JPEG data: ", with: "")
        switch status {
        case VQ_IMAGE_OK:
            return ImageInfo(format: format, width: Int(width), height: Int(height))
        case VQ_IMAGE_TOO_LARGE:
            try limits.check(format, width: Int(width), height: Int(height))
            preconditionFailure("shim reported \(width)x\(height) as too large, but it is within the limits")
        case VQ_IMAGE_TOO_MANY_SCANS:
            throw ImageError(.tooLarge, "\(name) has more than \(limits.maxJPEGScans) scans, over the limit for progressive images")
        case VQ_IMAGE_UNSUPPORTED:
            throw ImageError(.unsupported, "unsupported \(name) variant (\(reason)); convert it first, e.g. `convert in.jpg out.png`")
        case VQ_IMAGE_CORRUPT:
            throw ImageError(.corrupt, "corrupt \(name): \(reason)")
        default:
            throw ImageError(.corrupt, "\(name) could not be decoded: \(reason)")
        }
    }
}
