import FoundationEssentials

/// An edit mask checked before sending, as OpenAI's Images API requires: a PNG with transparent pixels (an alpha
/// channel marks where to edit), the size of the first image; when that image was shrunk for sending, the mask is
/// shrunk to match (area-averaged, alpha kept) and re-encoded as PNG.
public enum EditMask {
    /// The mask to send, and a note when it was resized. `original` is the first image's size as given, `sent` its
    /// size as sent. Throws (one line, without the file name) when the mask cannot be used.
    public static func prepare(
        _ data: Data, original: (width: Int, height: Int), sent: (width: Int, height: Int)
    ) throws(ImageError) -> (
        data: Data, note: String?
    ) {
        guard case .image(.png) = ImageSniffer.sniff(data) else {
            if case .image(let format) = ImageSniffer.sniff(data) {
                throw ImageError(.unsupported, "the mask must be a PNG with an alpha channel (this is \(format.rawValue))")
            }
            throw ImageError(.notAnImage, "the mask must be a PNG with an alpha channel (this is not an image)")
        }
        let info = try LibraryDecoder.readHeader(data, as: .png, limits: .default)
        guard info.width == original.width && info.height == original.height else {
            throw ImageError(
                .unsupported, "the mask is \(info.width)x\(info.height) but the first image is \(original.width)x\(original.height); they must match")
        }
        let pixels = try LibraryDecoder.decode(data, as: .png, limits: .default, target: PixelSize(width: info.width, height: info.height))
        guard pixels.hasAlpha else {
            throw ImageError(.unsupported, "the mask has no transparent pixels; transparent areas (alpha 0) mark where the image is edited")
        }
        guard sent.width != original.width || sent.height != original.height else { return (data, nil) }
        let resized = try pixels.resized(to: PixelSize(width: sent.width, height: sent.height))
        let encoded = try ImageEncoder.encodePNG(pixels: resized.bytes, width: resized.width, height: resized.height, channels: resized.channels)
        return (encoded, "the mask was resized to \(sent.width)x\(sent.height) to match the first image as sent")
    }
}
