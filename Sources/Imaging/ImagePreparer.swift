import Foundation
import TextFormatting

/// Validates an image and shrinks, turns upright and re-encodes it as `PreparationOptions` ask.
public enum ImagePreparer {
    /// Validates (same guarantees and messages as `ImageValidator`: corrupt or truncated files are rejected)
    /// and prepares in one pass where possible: a JPEG that is shrunk is decoded once, at a reduced DCT scale.
    public static func prepare(_ data: Data, options: PreparationOptions) throws(ImageError) -> PreparedImage {
        let format: ImageFormat
        switch ImageSniffer.sniff(data) {
        case .image(.png): format = .png
        case .image(.jpeg): format = .jpeg
        default:
            // WebP and GIF pass through (vq has no decoder for them); everything else throws here.
            let info = try ImageValidator.validate(data, limits: options.limits)
            return try unchanged(data, info, options, why: "vq cannot shrink \(info.format.displayName) images")
        }
        let header = try LibraryDecoder.readHeader(data, as: format, limits: options.limits)
        guard options.resize else {
            let info = try LibraryDecoder.validate(data, as: format, limits: options.limits)
            return try unchanged(data, info, options, why: "resizing is off")
        }
        let orientation = format == .jpeg
            ? data.withUnsafeBytes { ExifOrientationReader.orientation(ofJPEG: $0) } : ExifOrientation.up
        var job = PreparationJob(data: data, original: header, orientation: orientation, options: options)
        return try job.run()
    }

    /// The original bytes, already validated, when they fit `maxEncodedBytes`.
    private static func unchanged(_ data: Data, _ info: ImageInfo, _ options: PreparationOptions,
                                  why: String) throws(ImageError) -> PreparedImage {
        if let cap = options.maxEncodedBytes, Base64Length.of(data.count) > cap {
            throw ImageError(.tooLarge, "\(info.format.displayName) image is \(ByteCountText.format(Base64Length.of(data.count))) "
                + "as base64, over the limit of \(ByteCountText.format(cap)), and \(why)")
        }
        return PreparedImage(data: data, format: info.format, width: info.width, height: info.height, original: info,
                             originalByteCount: data.count, rotation: nil, reencoded: false, notes: [])
    }
}
