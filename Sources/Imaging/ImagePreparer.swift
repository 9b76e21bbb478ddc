import FoundationEssentials
import TextFormatting

/// Validates an image and shrinks, turns upright and re-encodes it as `PreparationOptions` ask.
public enum ImagePreparer {
    /// Validates (same guarantees and messages as `ImageValidator`: corrupt or truncated files are rejected)
    /// and prepares in one pass where possible: a JPEG that is shrunk is decoded once, at a reduced DCT scale.
    /// What is sent always decodes in a default reader: HEIC, AVIF and TIFF are converted, an animation becomes its first
    /// frame, and a PNG with a damaged ancillary chunk is re-encoded without it.
    public static func prepare(_ data: Data, options: PreparationOptions) throws(ImageError) -> PreparedImage {
        guard case .image(let format) = ImageSniffer.sniff(data) else {
            _ = try ImageValidator.validate(data, limits: options.limits)
            preconditionFailure("the validator accepted a kind the sniffer does not call an image")
        }
        let header = try LibraryDecoder.readHeader(data, as: format, limits: options.limits)
        var orientation = ExifOrientation.up
        var reasons: [String] = []
        switch format {
        case .jpeg:
            orientation = data.withUnsafeBytes { ExifOrientationReader.orientation(ofJPEG: $0) }
            if data.withUnsafeBytes({ JPEGFrameReader.isArithmeticCoded($0) }) {
                reasons.append("arithmetic-coded JPEG re-encoded (many decoders, Pillow's among them, cannot read it)")
            }
        case .png:
            let chunks = PNGChunkInspector(data)
            orientation = chunks.orientation
            if !chunks.damagedChunks.isEmpty {
                let names = chunks.damagedChunks.joined(separator: ", ")
                reasons.append("PNG re-encoded without its damaged \(names) chunk\(chunks.damagedChunks.count > 1 ? "s" : "") (bad CRC)")
            }
            if let frames = chunks.animationFrames {
                reasons.append("animated PNG (\(frames) frame\(frames == 1 ? "" : "s")): its still image sent")
            }
        case .webp, .gif, .heic, .avif, .tiff:
            break  // animations are found while decoding; HEIC, AVIF and TIFF are always converted
        }
        var job = PreparationJob(
            data: data, original: header, orientation: orientation, options: options,
            reencodeReasons: reasons)
        return try job.run()
    }
}
