import FoundationEssentials
import Imaging
import Platform
import TextFormatting

/// Where one answer goes: text to stdout as it arrives (markdown data-URL images replaced by the saved file's
/// path), returned images to the `ImageSaver`, a line per saved or refused image on stderr.
public final class AnswerOutput: AnswerSink {
    private let console: RunSink
    private let printsText: Bool
    private let saver: ImageSaver
    private var filter = MarkdownImageFilter()
    private var savedURLs: Set<String> = []
    /// The answer as printed (what `--json` reports as `text`).
    public private(set) var text = ""
    public private(set) var saved: [ImageSaver.SavedImage] = []
    /// The first file that could not be written; reported (exit 73) after the answer is printed.
    public private(set) var saveFailure: VQError?
    /// Set when stdout's reader went away.
    public private(set) var stdoutGone = false

    /// `printsText` is false with `--json` (the text is printed inside the JSON object at the end).
    public init(console: RunSink, printsText: Bool, saver: ImageSaver) {
        self.console = console
        self.printsText = printsText
        self.saver = saver
    }

    /// A text delta from the model.
    public func receive(text delta: String) {
        emit(filter.feed(delta, replace: saveDataURL))
    }

    /// An image from the model.
    public func receive(image: ReturnedImage) {
        switch image {
        case .link(let url):  // links are downloaded by the exchange; one that was not is reported
            console.warning("an image was returned as a link, not data: \(url.prefix(200)); not saved")
        case .undecodable(let reason):
            console.warning("\(reason); not saved")
        case .decoded(let data, _, let sourceURL):
            if let sourceURL {
                guard !savedURLs.contains(sourceURL) else { return }  // the same image in a delta and the final message
                savedURLs.insert(sourceURL)
            }
            _ = save(data)
        }
    }

    /// Kept in the provenance of the images that follow.
    public func receive(revisedPrompt: String) { saver.provenance?.revisedPrompt = revisedPrompt }

    public func progress(_ line: String) { console.progress(line) }

    public func debug(_ line: String) { console.debug(line) }

    /// Flushes text held back at the end of the answer; says how many images the limit kept from being saved.
    public func finish() {
        emit(filter.finish(replace: saveDataURL))
        if let report = saver.skippedReport { console.warning(report) }
    }

    private func emit(_ piece: String) {
        guard !piece.isEmpty else { return }
        text += piece
        if printsText && !stdoutGone && !console.out(piece) { stdoutGone = true }
    }

    /// The link target printed instead of a markdown data URL.
    private func saveDataURL(_ url: String) -> String {
        guard let (_, base64) = ReturnedImageDecoder.splitDataURL(url), let data = ReturnedImageDecoder.decodeBase64(base64) else {
            console.warning("an image in the answer text is not valid base64; not saved")
            return "image-not-saved"
        }
        return save(data) ?? "image-not-saved"
    }

    private func save(_ data: Data) -> String? {
        if saver.isFull {
            _ = try? saver.save(data)  // counted for the one line `finish` prints
            return nil
        }
        do {
            let image = try saver.save(data)
            saved.append(image)
            console.notice("saved \(image.path) (\(image.info.width)x\(image.info.height) \(image.info.format.rawValue), \(ByteCountText.format(image.bytes)))")
            if let note = image.provenanceNote { console.debug(note) }
            if saver.singleFile == image.path { warnIfExtensionDiffers(image) }
            return image.path
        } catch {
            if error.category == .cannotCreate && saveFailure == nil {
                saveFailure = error
            } else {
                console.warning(error.message)
            }
            return nil
        }
    }

    private func warnIfExtensionDiffers(_ image: ImageSaver.SavedImage) {
        let ext = PathText.fileExtension(image.path).lowercased()
        let fitting = image.info.format == .jpeg ? ["jpg", "jpeg"] : [image.info.format.fileExtension]
        if !fitting.contains(ext) {
            console.warning("\(image.path) holds \(image.info.format.rawValue) data; its name says otherwise")
        }
    }
}
