internal import CShims

/// Owns decoded 8-bit pixels malloc'd by the C shims (`vq_pixels`); frees them in `deinit`.
final class PixelBuffer {
    var raw = vq_pixels()
    /// Frames in the file these pixels came from (an animation's first frame is decoded); 1 for a still image.
    var frames = 1

    var width: Int { Int(raw.width) }
    var height: Int { Int(raw.height) }
    /// 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    var channels: Int { Int(raw.channels) }
    var size: PixelSize { PixelSize(width: width, height: height) }
    var hasAlpha: Bool { channels == 2 || channels == 4 }

    deinit { vq_pixels_free(&raw) }

    /// A copy area-averaged down to `target` (at most this buffer's size).
    func resized(to target: PixelSize) throws(ImageError) -> PixelBuffer {
        precondition(
            target.width >= 1 && target.height >= 1 && target.width <= width && target.height <= height,
            "resize target \(target) must lie within \(size)")
        if target == size { return self }
        let result = PixelBuffer()
        guard vq_pixels_resize(&raw, UInt32(target.width), UInt32(target.height), &result.raw) == VQ_IMAGE_OK else {
            throw ImageError(.tooLarge, "out of memory resizing to \(target)")
        }
        return result
    }

    /// A copy turned upright for `orientation` (width and height swap for the rotating ones).
    func oriented(_ orientation: ExifOrientation) throws(ImageError) -> PixelBuffer {
        if orientation == .up { return self }
        let result = PixelBuffer()
        guard vq_pixels_orient(&raw, Int32(orientation.rawValue), &result.raw) == VQ_IMAGE_OK else {
            throw ImageError(.tooLarge, "out of memory turning a \(size) image upright")
        }
        return result
    }

    /// The samples as an array (rows top to bottom).
    var bytes: [UInt8] { [UInt8](UnsafeBufferPointer(start: raw.bytes, count: width * height * channels)) }
}
