internal import CShims
import FoundationEssentials

/// Encodes raw pixels as PNG, JPEG, WebP (for sending) and HEIC/AVIF (tests make their fixtures with it).
public enum ImageEncoder {
    /// Encodes `pixels` (rows top to bottom, `channels` samples per pixel: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA;
    /// 16-bit samples big-endian). With `palette` (RGB triples, 1–256 entries) `channels` must be 1 and
    /// `bitDepth` 8, and each pixel is a palette index.
    public static func encodePNG(
        pixels: [UInt8], width: Int, height: Int, channels: Int, bitDepth: Int = 8,
        interlaced: Bool = false, palette: [UInt8]? = nil
    ) throws(ImageError) -> Data {
        precondition(width > 0 && height > 0, "PNG dimensions must be positive")
        precondition((1...4).contains(channels), "PNG channels must be 1...4")
        precondition(bitDepth == 8 || bitDepth == 16, "PNG bit depth must be 8 or 16")
        precondition(pixels.count == width * height * channels * bitDepth / 8, "pixel count does not match dimensions")
        if let palette {
            precondition(channels == 1 && bitDepth == 8, "palette PNGs take 8-bit indices")
            precondition(palette.count % 3 == 0 && (1...256).contains(palette.count / 3), "palette must hold 1-256 RGB triples")
            precondition(pixels.allSatisfy { Int($0) < palette.count / 3 }, "palette index out of range")
        }
        var out = vq_image_buffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = pixels.withUnsafeBufferPointer { pixelBytes in
            withOptionalBuffer(palette) { paletteBytes in
                vq_png_encode(
                    pixelBytes.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(bitDepth),
                    interlaced ? 1 : 0, paletteBytes, Int32((palette?.count ?? 0) / 3), &out, &message)
            }
        }
        return try finish(status, &out, message, format: "PNG")
    }

    /// Encodes 8-bit `pixels` (rows top to bottom; `channels` 1 gray, 3 RGB, or 4 CMYK) as JPEG.
    public static func encodeJPEG(
        pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int = 85,
        progressive: Bool = false, arithmeticCoding: Bool = false
    ) throws(ImageError) -> Data {
        precondition(width > 0 && height > 0, "JPEG dimensions must be positive")
        precondition([1, 3, 4].contains(channels), "JPEG channels must be 1, 3 or 4")
        precondition((1...100).contains(quality), "JPEG quality must be 1...100")
        precondition(pixels.count == width * height * channels, "pixel count does not match dimensions")
        var out = vq_image_buffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = pixels.withUnsafeBufferPointer { pixelBytes in
            vq_jpeg_encode(
                pixelBytes.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(quality),
                progressive ? 1 : 0, arithmeticCoding ? 1 : 0, &out, &message)
        }
        return try finish(status, &out, message, format: "JPEG")
    }

    /// Encodes 8-bit RGB (3) or RGBA (4) `pixels` as WebP: lossy at `quality`, or lossless.
    public static func encodeWebP(
        pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int = 85,
        lossless: Bool = false
    ) throws(ImageError) -> Data {
        precondition(width > 0 && height > 0 && (channels == 3 || channels == 4), "WebP takes RGB or RGBA")
        precondition(pixels.count == width * height * channels, "pixel count does not match dimensions")
        var out = vq_image_buffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = pixels.withUnsafeBufferPointer { bytes in
            vq_webp_encode(
                bytes.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(quality),
                lossless ? 1 : 0, &out, &message)
        }
        return try finish(status, &out, message, format: "WebP")
    }

    /// Encodes 8-bit RGB (3) or RGBA (4) `pixels` as HEIC (HEVC) or AVIF (AV1), to be displayed turned by
    /// `orientation` (EXIF values 1-8, written as irot/imir boxes).
    public static func encodeHEIF(
        pixels: [UInt8], width: Int, height: Int, channels: Int, quality: Int = 80,
        avif: Bool = false, orientation: Int = 1
    ) throws(ImageError) -> Data {
        precondition(width > 0 && height > 0 && (channels == 3 || channels == 4), "HEIF takes RGB or RGBA")
        precondition(pixels.count == width * height * channels, "pixel count does not match dimensions")
        precondition((1...8).contains(orientation), "orientation must be 1...8")
        var out = vq_image_buffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let status = pixels.withUnsafeBufferPointer { bytes in
            vq_heif_encode(
                bytes.baseAddress, UInt32(width), UInt32(height), Int32(channels), Int32(quality),
                avif ? 1 : 0, Int32(orientation), &out, &message)
        }
        return try finish(status, &out, message, format: avif ? "AVIF" : "HEIC")
    }

    /// Encodes decoded pixels (gray or RGB as JPEG; any of 1-4 channels as PNG; RGB(A) as lossy WebP) without
    /// copying them first.
    static func encode(_ pixels: PixelBuffer, as format: ImageFormat, quality: Int) throws(ImageError) -> Data {
        var out = vq_image_buffer()
        var message = [CChar](repeating: 0, count: Int(VQ_IMAGE_MSG_SIZE))
        let (w, h, channels) = (UInt32(pixels.width), UInt32(pixels.height), Int32(pixels.channels))
        let status: vq_image_status
        switch format {
        case .png:
            status = vq_png_encode(pixels.raw.bytes, w, h, channels, 8, 0, nil, 0, &out, &message)
        case .jpeg:
            precondition(pixels.channels == 1 || pixels.channels == 3, "JPEG takes gray or RGB")
            status = vq_jpeg_encode(pixels.raw.bytes, w, h, channels, Int32(quality), 0, 0, &out, &message)
        case .webp:
            precondition(pixels.channels == 3 || pixels.channels == 4, "WebP takes RGB or RGBA")
            status = vq_webp_encode(pixels.raw.bytes, w, h, channels, Int32(quality), 0, &out, &message)
        case .gif, .heic, .avif, .tiff:
            preconditionFailure("vq does not send \(format.displayName)")
        }
        return try finish(status, &out, message, format: format.displayName)
    }

    /// Copies the encoder's malloc'd output into `Data` and frees it, or turns a failure into an `ImageError`.
    private static func finish(
        _ status: vq_image_status, _ out: inout vq_image_buffer, _ message: [CChar],
        format: String
    ) throws(ImageError) -> Data {
        defer { vq_image_buffer_free(&out) }
        guard status == VQ_IMAGE_OK else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageError(.tooLarge, "\(format) encoding failed: \(reason)")
        }
        return Data(bytes: out.bytes, count: out.count)
    }

    private static func withOptionalBuffer<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
