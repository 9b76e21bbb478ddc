import Foundation
import TextFormatting

/// One PNG or JPEG being prepared: decides whether to re-encode, at what size and in which format.
struct PreparationJob {
    /// Opaque PNGs up to this many pixels are tried as JPEG even when no shrinking is needed.
    static let photoConversionPixelLimit = 1 << 23
    /// Shrinking to fit `maxEncodedBytes` goes in steps of this factor…
    static let fittingStep = 0.75
    /// …down to this long side, then lowers JPEG quality through these values.
    static let smallestFittingSide = 256
    static let fittingQualities = [70, 55, 40]

    let data: Data
    let original: ImageInfo
    let orientation: ExifOrientation
    let options: PreparationOptions
    /// First decoded upright pixels; PNGs shrunk further are averaged down from these rather than decoded again.
    private var base: PixelBuffer?

    init(data: Data, original: ImageInfo, orientation: ExifOrientation, options: PreparationOptions) {
        self.data = data
        self.original = original
        self.orientation = orientation
        self.options = options
    }

    /// An encoded result, before it becomes a `PreparedImage`.
    private struct Candidate {
        var data: Data
        var format: ImageFormat
        var size: PixelSize
    }

    private var stored: PixelSize { PixelSize(width: original.width, height: original.height) }
    private var upright: PixelSize { orientation.swapsDimensions ? stored.swapped : stored }

    mutating func run() throws(ImageError) -> PreparedImage {
        let target = upright.fitted(maxSide: options.maxSide, maxPixels: options.maxPixels)
        var notes: [String] = []
        var fittingFormat: ImageFormat? = nil
        if target == upright && !options.strip && orientation == .up {
            if let kept = try keepOrConvert() { return kept }
            // The original is valid but over maxEncodedBytes: shrink it from here.
        } else {
            let pixels = try pixels(at: target)
            let (candidate, note, otherFormat) = try encodeFirst(pixels)
            if let note { notes.append(note) }
            if fits(candidate.data) { return finish(candidate, notes) }
            if let otherFormat, fits(otherFormat.data) {
                notes = ["\(original.format.displayName) sent as \(otherFormat.format.displayName) to fit \(capText)"]
                return finish(otherFormat, notes)
            }
            fittingFormat = [candidate, otherFormat].compactMap { $0 }.min { $0.data.count < $1.data.count }?.format
        }
        return try shrinkToFit(from: target, format: fittingFormat, notes: notes)
    }

    /// No shrinking needed: keep the original bytes (validated), or send an opaque PNG photo as JPEG when that
    /// is much smaller. Nil when the original is over `maxEncodedBytes`.
    private mutating func keepOrConvert() throws(ImageError) -> PreparedImage? {
        if original.format == .png && stored.pixels <= Self.photoConversionPixelLimit {
            let pixels = try pixels(at: upright)  // validates the whole file too
            if !pixels.hasAlpha {
                let jpeg = try ImageEncoder.encode(pixels, as: .jpeg, quality: options.jpegQuality)
                if Self.isMuchSmaller(jpeg.count, than: data.count) && fits(jpeg) {
                    let note = "PNG sent as JPEG (\(ByteCountText.format(data.count - jpeg.count)) smaller)"
                    return finish(Candidate(data: jpeg, format: .jpeg, size: upright), [note])
                }
            }
        } else {
            _ = try LibraryDecoder.validate(data, as: original.format, limits: options.limits)
        }
        guard fits(data) else { return nil }
        return PreparedImage(data: data, format: original.format, width: original.width, height: original.height,
                             original: original, originalByteCount: data.count, rotation: nil, reencoded: false,
                             notes: [])
    }

    /// Encodes the first re-encoded version: JPEG stays JPEG, PNG with transparency stays PNG, and an opaque PNG
    /// becomes JPEG when that is at most half the size. Also returns the other format when it was encoded too.
    private func encodeFirst(_ pixels: PixelBuffer) throws(ImageError) -> (Candidate, String?, Candidate?) {
        let size = pixels.size
        if original.format == .jpeg || pixels.hasAlpha {
            let data = try ImageEncoder.encode(pixels, as: original.format, quality: options.jpegQuality)
            return (Candidate(data: data, format: original.format, size: size), nil, nil)
        }
        let jpeg = Candidate(data: try ImageEncoder.encode(pixels, as: .jpeg, quality: options.jpegQuality),
                             format: .jpeg, size: size)
        // Shrunk PNGs compress worse per pixel, so scaling the original's size is a low estimate of the new PNG:
        // beating it by half means beating the real PNG, without spending time encoding it.
        let estimatedPNG = Int(Double(data.count) * Double(size.pixels) / Double(stored.pixels))
        if Self.isMuchSmaller(jpeg.data.count, than: estimatedPNG) {
            return (jpeg, "PNG sent as JPEG (about \(ByteCountText.format(estimatedPNG - jpeg.data.count)) smaller)", nil)
        }
        let png = Candidate(data: try ImageEncoder.encode(pixels, as: .png, quality: options.jpegQuality),
                            format: .png, size: size)
        if Self.isMuchSmaller(jpeg.data.count, than: png.data.count) {
            return (jpeg, "PNG sent as JPEG (\(ByteCountText.format(png.data.count - jpeg.data.count)) smaller)", png)
        }
        return (png, nil, jpeg)
    }

    /// Shrinks by `fittingStep` until the encoding fits `maxEncodedBytes`, then lowers JPEG quality.
    private mutating func shrinkToFit(from start: PixelSize, format: ImageFormat?,
                                      notes: [String]) throws(ImageError) -> PreparedImage {
        guard let cap = options.maxEncodedBytes else { preconditionFailure("shrinking to fit without a byte limit") }
        // An opaque PNG is sent as JPEG when that fits better; transparency keeps PNG.
        var size = start
        var last: Candidate? = nil
        while true {
            let next = size.scaled(by: Self.fittingStep)
            if next == size || next.longSide < Self.smallestFittingSide && last != nil { break }
            size = next
            let pixels = try pixels(at: size)
            let format = pixels.hasAlpha ? ImageFormat.png : format ?? (original.format == .png ? .jpeg : original.format)
            let candidate = Candidate(data: try ImageEncoder.encode(pixels, as: format, quality: options.jpegQuality),
                                      format: format, size: size)
            if fits(candidate.data) {
                return finish(candidate, notes + conversionNote(candidate, after: notes) + ["shrunk further to fit \(capText)"])
            }
            last = candidate
        }
        if let last, last.format == .jpeg {
            let pixels = try pixels(at: last.size)
            for quality in Self.fittingQualities where quality < options.jpegQuality {
                let candidate = Candidate(data: try ImageEncoder.encode(pixels, as: .jpeg, quality: quality),
                                          format: .jpeg, size: last.size)
                if fits(candidate.data) {
                    return finish(candidate, notes + conversionNote(candidate, after: notes)
                                  + ["shrunk further and JPEG quality lowered to \(quality) to fit \(capText)"])
                }
            }
        }
        let smallest = last.map { "\(ByteCountText.format(Base64Length.of($0.data.count))) as base64 at \($0.size)" }
            ?? "too large"
        throw ImageError(.tooLarge, "\(original.format.displayName) image is still \(smallest), over the limit of "
            + "\(ByteCountText.format(cap)); it cannot be shrunk further")
    }

    private func conversionNote(_ candidate: Candidate, after notes: [String]) -> [String] {
        if candidate.format == original.format || notes.contains(where: { $0.hasPrefix("PNG sent as JPEG") }) { return [] }
        return ["PNG sent as JPEG to fit \(capText)"]
    }

    /// Upright pixels at `size`: JPEGs are decoded at that size (cheap with DCT scaling); PNGs are decoded once
    /// and averaged down from that first decode.
    private mutating func pixels(at size: PixelSize) throws(ImageError) -> PixelBuffer {
        if original.format == .png, let base {
            return try base.resized(to: size)
        }
        let storedTarget = orientation.swapsDimensions ? size.swapped : size
        let decoded = try LibraryDecoder.decode(data, as: original.format, limits: options.limits, target: storedTarget)
        let upright = try decoded.oriented(orientation)
        if original.format == .png { base = upright }
        return upright
    }

    private func fits(_ encoded: Data) -> Bool {
        options.maxEncodedBytes.map { Base64Length.of(encoded.count) <= $0 } ?? true
    }

    private var capText: String { options.maxEncodedBytes.map { ByteCountText.format($0) } ?? "" }

    /// "Much smaller": at most half.
    private static func isMuchSmaller(_ bytes: Int, than other: Int) -> Bool { bytes * 2 <= other }

    private func finish(_ candidate: Candidate, _ notes: [String]) -> PreparedImage {
        PreparedImage(data: candidate.data, format: candidate.format, width: candidate.size.width,
                      height: candidate.size.height, original: original, originalByteCount: data.count,
                      rotation: orientation.appliedDescription, reencoded: true, notes: notes)
    }
}
