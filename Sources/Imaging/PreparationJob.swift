import FoundationEssentials
import TextFormatting

/// One image being prepared: decides whether to re-encode, at what size and in which format.
struct PreparationJob {
    /// Opaque PNGs up to this many pixels are tried as JPEG even when no shrinking is needed.
    static let photoConversionPixelLimit = 1 << 23
    /// Shrinking to fit `maxEncodedBytes` goes in steps of this factor…
    static let fittingStep = 0.75
    /// …down to this long side, then lowers JPEG (or WebP) quality through these values.
    static let smallestFittingSide = 256
    static let fittingQualities = [70, 55, 40]
    /// A rendered page is encoded in full as PNG only when PNG beats JPEG on sampled rows by this factor: on
    /// near ties (text beside photos) JPEG is sent without spending a full PNG encode to find out.
    static let renderedPNGAdvantage = 0.9

    let data: Data
    let original: ImageInfo
    let orientation: ExifOrientation
    let options: PreparationOptions
    /// Why the original bytes cannot be sent even when nothing else needs changing (each becomes a `-v` note).
    private var reencodeReasons: [String]
    /// First decoded upright pixels; all but JPEGs are shrunk further from these rather than decoded again.
    private var base: PixelBuffer?
    /// Set for pixels rendered from a document page: there is no file to keep, so they are always encoded, as
    /// JPEG unless PNG is smaller; `original` then describes the raster as rendered.
    private var renderedPage = false
    /// Set for a decoded video frame (a kind of rendered page): always sent as JPEG, as frames are photographs.
    private var videoFrame = false
    /// The bytes the image came from (the whole document for a rendered page).
    private var sourceByteCount: Int

    init(
        data: Data, original: ImageInfo, orientation: ExifOrientation, options: PreparationOptions,
        reencodeReasons: [String] = []
    ) {
        self.data = data
        self.original = original
        self.orientation = orientation
        self.options = options
        self.reencodeReasons = reencodeReasons
        self.sourceByteCount = data.count
    }

    /// A document page already rendered at the size to send (shrunk further only to fit `maxEncodedBytes`).
    init(renderedPage pixels: PixelBuffer, documentByteCount: Int, options: PreparationOptions, notes: [String]) {
        let raster = ImageInfo(format: .png, width: pixels.width, height: pixels.height)
        self.init(data: Data(), original: raster, orientation: .up, options: options, reencodeReasons: notes)
        base = pixels
        renderedPage = true
        sourceByteCount = documentByteCount
    }

    /// A video frame already decoded, upright, at the size to send (shrunk further only to fit `maxEncodedBytes`).
    init(videoFrame pixels: PixelBuffer, videoByteCount: Int, options: PreparationOptions, notes: [String]) {
        self.init(renderedPage: pixels, documentByteCount: videoByteCount, options: options, notes: notes)
        videoFrame = true
    }

    /// An encoded result, before it becomes a `PreparedImage`.
    private struct Candidate {
        var data: Data
        var format: ImageFormat
        var size: PixelSize
    }

    private var stored: PixelSize { PixelSize(width: original.width, height: original.height) }
    private var upright: PixelSize { orientation.swapsDimensions ? stored.swapped : stored }
    private var name: String { videoFrame ? "video frame" : renderedPage ? "PDF page" : original.format.displayName }

    mutating func run() throws(ImageError) -> PreparedImage {
        let target = options.resize ? upright.fitted(maxSide: options.maxSide, maxPixels: options.maxPixels) : upright
        if original.format == .gif || original.format == .webp {
            let first = try pixels(at: target)  // validates the whole file: every WebP frame, every GIF block
            if first.frames > 1 && options.resize {
                reencodeReasons.append("animated \(name) (\(first.frames) frames): first frame sent")
            }
        }
        let mustReencode = !reencodeReasons.isEmpty || !original.format.isSendable || renderedPage
        var notes = reencodeReasons
        if !options.resize && !mustReencode { return try unchangedWithoutResizing() }
        var fittingFormat: ImageFormat? = nil
        if target == upright && !options.strip && orientation == .up && !mustReencode {
            if let kept = try keepOrConvert() { return kept }
            // The original is valid but over maxEncodedBytes: shrink it from here.
        } else {
            let pixels = try pixels(at: target)
            let (candidate, note, otherFormat) = try encodeFirst(pixels)
            if let note { notes.append(note) }
            if fits(candidate.data) { return finish(candidate, notes) }
            guard options.resize else { throw overCapWithoutResizing(candidate.data.count, candidate.format) }
            if let otherFormat, fits(otherFormat.data) {
                notes = reencodeReasons + ["\(name) sent as \(otherFormat.format.displayName) to fit \(capText)"]
                return finish(otherFormat, notes)
            }
            fittingFormat = [candidate, otherFormat].compactMap { $0 }.min { $0.data.count < $1.data.count }?.format
        }
        return try shrinkToFit(from: target, format: fittingFormat, notes: notes)
    }

    /// `--no-resize`: the original bytes, validated, when they fit `maxEncodedBytes`.
    private mutating func unchangedWithoutResizing() throws(ImageError) -> PreparedImage {
        if original.format == .png || original.format == .jpeg {
            _ = try LibraryDecoder.validate(data, as: original.format, limits: options.limits)
        }
        guard fits(data) else { throw overCapWithoutResizing(data.count, original.format) }
        return unchanged()
    }

    private func overCapWithoutResizing(_ count: Int, _ format: ImageFormat) -> ImageError {
        ImageError(
            .tooLarge,
            "\(format.displayName) image is \(ByteCountText.format(Base64Length.of(count))) "
                + "as base64, over the limit of \(capText), and resizing is off")
    }

    /// No shrinking needed: keep the original bytes (validated), or send an opaque PNG photo as JPEG when that
    /// is much smaller. Nil when the original is over `maxEncodedBytes`.
    private mutating func keepOrConvert() throws(ImageError) -> PreparedImage? {
        switch original.format {
        case .png where stored.pixels <= Self.photoConversionPixelLimit:
            let pixels = try pixels(at: upright)  // validates the whole file too
            if !pixels.hasAlpha {
                let jpeg = try ImageEncoder.encode(pixels, as: .jpeg, quality: options.jpegQuality)
                if Self.isMuchSmaller(jpeg.count, than: data.count) && fits(jpeg) {
                    let note = "PNG sent as JPEG (\(ByteCountText.format(data.count - jpeg.count)) smaller)"
                    return finish(Candidate(data: jpeg, format: .jpeg, size: upright), [note])
                }
            }
        case .png, .jpeg:
            _ = try LibraryDecoder.validate(data, as: original.format, limits: options.limits)
        case .gif, .webp:
            break  // decoded in full by run()
        case .heic, .avif, .tiff:
            preconditionFailure("\(name) is always converted")
        }
        guard fits(data) else { return nil }
        return unchanged()
    }

    private func unchanged() -> PreparedImage {
        PreparedImage(
            data: data, format: original.format, width: original.width, height: original.height,
            original: original, originalByteCount: data.count, rotation: nil, reencoded: false, notes: [],
            orientation: orientation, uprighted: orientation == .up)
    }

    /// Encodes the first re-encoded version: JPEG stays JPEG and WebP stays WebP; HEIC/AVIF become JPEG; PNG, GIF
    /// and TIFF with transparency become PNG, opaque ones JPEG when that is at most half the size of the PNG. Also
    /// returns the other format when it was encoded too.
    private func encodeFirst(_ pixels: PixelBuffer) throws(ImageError) -> (Candidate, String?, Candidate?) {
        let size = pixels.size
        func candidate(_ format: ImageFormat) throws(ImageError) -> Candidate {
            Candidate(data: try ImageEncoder.encode(pixels, as: format, quality: options.jpegQuality), format: format, size: size)
        }
        func sentAs(_ format: ImageFormat) -> String? { format == original.format ? nil : "\(name) sent as \(format.displayName)" }
        if videoFrame { return (try candidate(.jpeg), nil, nil) }
        if renderedPage { return try encodeRenderedPage(pixels, candidate) }
        switch original.format {
        case .jpeg, .webp:
            return (try candidate(original.format), nil, nil)
        case .heic, .avif:
            let format = pixels.hasAlpha ? ImageFormat.png : .jpeg
            return (try candidate(format), sentAs(format), nil)
        case .png, .gif, .tiff:
            if pixels.hasAlpha { return (try candidate(.png), sentAs(.png), nil) }
        }
        let jpeg = try candidate(.jpeg)
        // Shrunk PNGs compress worse per pixel, so scaling the original PNG's size is a low estimate of the new
        // one: beating it by half means beating the real PNG, without spending time encoding it.
        let estimatedPNG = original.format == .png ? Int(Double(data.count) * Double(size.pixels) / Double(stored.pixels)) : 0
        if Self.isMuchSmaller(jpeg.data.count, than: estimatedPNG) {
            return (jpeg, "\(name) sent as JPEG (about \(ByteCountText.format(estimatedPNG - jpeg.data.count)) smaller)", nil)
        }
        // Palette and gray originals make that estimate far too low (their shrunk version is RGB with new
        // colours); a PNG of sampled rows predicts the real size well enough to skip encoding it in full.
        if let sampledPNG = try PNGSizeEstimate.of(pixels), Self.isMuchSmaller(jpeg.data.count, than: sampledPNG) {
            return (jpeg, "\(name) sent as JPEG (about \(ByteCountText.format(sampledPNG - jpeg.data.count)) smaller)", nil)
        }
        let png = try candidate(.png)
        if Self.isMuchSmaller(jpeg.data.count, than: png.data.count) {
            return (jpeg, "\(name) sent as JPEG (\(ByteCountText.format(png.data.count - jpeg.data.count)) smaller)", png)
        }
        return (png, sentAs(.png), jpeg)
    }

    /// A rendered page goes as JPEG unless PNG is smaller (pages of text and line art). PNG is encoded in full only
    /// when it beats JPEG on the same sampled rows: a page's white margins make a PNG estimate alone far too low.
    private func encodeRenderedPage(
        _ pixels: PixelBuffer, _ candidate: (ImageFormat) throws(ImageError) -> Candidate
    ) throws(ImageError) -> (Candidate, String?, Candidate?) {
        let jpeg = try candidate(.jpeg)
        if let sample = PNGSizeEstimate.sampledRows(pixels) {
            let (width, rows, channels) = (pixels.width, sample.rows, pixels.channels)
            let png = try ImageEncoder.encodePNG(pixels: sample.bytes, width: width, height: rows, channels: channels)
            let sampledJPEG = try ImageEncoder.encodeJPEG(
                pixels: sample.bytes, width: width, height: rows, channels: channels, quality: options.jpegQuality)
            if Double(png.count) > Double(sampledJPEG.count) * Self.renderedPNGAdvantage { return (jpeg, nil, nil) }
        }
        let png = try candidate(.png)
        guard png.data.count < jpeg.data.count else { return (jpeg, nil, png) }
        return (png, "PDF page sent as PNG (\(ByteCountText.format(jpeg.data.count - png.data.count)) smaller than JPEG)", jpeg)
    }

    /// Shrinks by `fittingStep` until the encoding fits `maxEncodedBytes`, then lowers JPEG (WebP) quality.
    private mutating func shrinkToFit(
        from start: PixelSize, format: ImageFormat?,
        notes: [String]
    ) throws(ImageError) -> PreparedImage {
        guard let cap = options.maxEncodedBytes else { preconditionFailure("shrinking to fit without a byte limit") }
        // Opaque images go lossy (WebP stays WebP, the rest JPEG) when that fits better; transparency keeps
        // PNG (or WebP).
        let lossy: ImageFormat = original.format == .webp ? .webp : .jpeg
        var size = start
        var last: Candidate? = nil
        while true {
            let next = size.scaled(by: Self.fittingStep)
            if next == size || next.longSide < Self.smallestFittingSide && last != nil { break }
            size = next
            let pixels = try pixels(at: size)
            let format = pixels.hasAlpha ? (lossy == .webp ? .webp : .png) : format ?? lossy
            let candidate = Candidate(
                data: try ImageEncoder.encode(pixels, as: format, quality: options.jpegQuality),
                format: format, size: size)
            if fits(candidate.data) {
                return finish(candidate, notes + conversionNote(candidate, after: notes) + ["shrunk further to fit \(capText)"])
            }
            last = candidate
        }
        if let last, last.format == .jpeg || last.format == .webp {
            let pixels = try pixels(at: last.size)
            for quality in Self.fittingQualities where quality < options.jpegQuality {
                let candidate = Candidate(
                    data: try ImageEncoder.encode(pixels, as: last.format, quality: quality),
                    format: last.format, size: last.size)
                if fits(candidate.data) {
                    return finish(
                        candidate,
                        notes + conversionNote(candidate, after: notes)
                            + ["shrunk further and \(last.format.displayName) quality lowered to \(quality) to fit \(capText)"])
                }
            }
        }
        let smallest =
            last.map { "\(ByteCountText.format(Base64Length.of($0.data.count))) as base64 at \($0.size)" }
            ?? "too large"
        throw ImageError(
            .tooLarge,
            "\(name) image is still \(smallest), over the limit of "
                + "\(ByteCountText.format(cap)); it cannot be shrunk further")
    }

    private func conversionNote(_ candidate: Candidate, after notes: [String]) -> [String] {
        if candidate.format == original.format || renderedPage || notes.contains(where: { $0.contains(" sent as ") }) { return [] }
        return ["\(name) sent as \(candidate.format.displayName) to fit \(capText)"]
    }

    /// Upright pixels at `size`: JPEGs are decoded at that size (cheap with DCT scaling); the other formats are
    /// decoded once and averaged down from that first decode.
    private mutating func pixels(at size: PixelSize) throws(ImageError) -> PixelBuffer {
        if original.format != .jpeg, let base {
            return try base.resized(to: size)
        }
        let storedTarget = orientation.swapsDimensions ? size.swapped : size
        let decoded = try LibraryDecoder.decode(data, as: original.format, limits: options.limits, target: storedTarget)
        let upright = try decoded.oriented(orientation)
        if original.format != .jpeg { base = upright }
        return upright
    }

    private func fits(_ encoded: Data) -> Bool {
        options.maxEncodedBytes.map { Base64Length.of(encoded.count) <= $0 } ?? true
    }

    private var capText: String { options.maxEncodedBytes.map { ByteCountText.format($0) } ?? "" }

    /// "Much smaller": at most half.
    private static func isMuchSmaller(_ bytes: Int, than other: Int) -> Bool { bytes * 2 <= other }

    private func finish(_ candidate: Candidate, _ notes: [String]) -> PreparedImage {
        PreparedImage(
            data: candidate.data, format: candidate.format, width: candidate.size.width,
            height: candidate.size.height, original: original, originalByteCount: sourceByteCount,
            rotation: orientation.appliedDescription, reencoded: true, notes: notes,
            orientation: orientation, uprighted: true)
    }
}
