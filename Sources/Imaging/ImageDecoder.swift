import FoundationEssentials

/// Decodes an image to full-size RGB(A) pixels, as stored (no EXIF orientation applied; HEIF and TIFF with their
/// irot/imir boxes or Orientation tag applied, as their decoders do; an animation's first frame).
public enum ImageDecoder {
    /// Validates and decodes `data`; gray becomes RGB, alpha is kept only when some pixel is transparent.
    /// Non-images throw as `ImageValidator` does.
    public static func decodeRGB(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> DecodedImage {
        rgb(try decode(data, limits: limits).pixels)
    }

    /// Decodes `data` as a viewer shows it: full size, the EXIF orientation of a JPEG or PNG applied (the frame
    /// `vq detect` returns coordinates in). Gray becomes RGB; alpha is kept only when some pixel is transparent.
    public static func decodeUpright(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> DecodedImage {
        let (pixels, format) = try decode(data, limits: limits)
        return rgb(try pixels.oriented(ExifOrientationReader.orientation(of: data, as: format)))
    }

    /// Validates and decodes the stored pixels at full size.
    private static func decode(_ data: Data, limits: ImageLimits) throws(ImageError) -> (pixels: PixelBuffer, format: ImageFormat) {
        guard case .image(let format) = ImageSniffer.sniff(data) else {
            _ = try ImageValidator.validate(data, limits: limits)
            preconditionFailure("the validator accepted a kind the sniffer does not call an image")
        }
        let info = try LibraryDecoder.readHeader(data, as: format, limits: limits)
        let pixels = try LibraryDecoder.decode(data, as: format, limits: limits, target: PixelSize(width: info.width, height: info.height))
        return (pixels, format)
    }

    /// The pixels as RGB(A): gray samples repeated three times.
    private static func rgb(_ decoded: PixelBuffer) -> DecodedImage {
        let samples = decoded.bytes
        let channels = decoded.channels
        guard channels < 3 else {
            return DecodedImage(pixels: samples, width: decoded.width, height: decoded.height, channels: channels)
        }
        // Gray (+ alpha): repeat the gray sample three times.
        var expanded = [UInt8]()
        expanded.reserveCapacity(samples.count / channels * (channels + 2))
        for start in stride(from: 0, to: samples.count, by: channels) {
            expanded += [samples[start], samples[start], samples[start]]
            if channels == 2 { expanded.append(samples[start + 1]) }
        }
        return DecodedImage(pixels: expanded, width: decoded.width, height: decoded.height, channels: channels + 2)
    }
}
