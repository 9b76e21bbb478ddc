import FoundationEssentials
import Imaging
import TextFormatting

/// Saves the images one batch answer returns: structured image parts (each URL once) and markdown data-URL images
/// in the text, which are replaced by the saved file's path so the JSON line stays small. The batch item's sink.
final class ReturnedImageCollector: AnswerSink {
    private let saver: ImageSaver
    private let report: (String) -> Void
    private var seenURLs: Set<String> = []
    /// Paths saved so far, in order.
    private(set) var paths: [String] = []
    /// The prompts the image maker said it used, in order.
    private(set) var revisedPrompts: [String] = []
    /// The first returned image that could not be saved (not an image, or not written).
    private(set) var firstFailure: VQError?

    init(saver: ImageSaver, report: @escaping (String) -> Void) {
        self.saver = saver
        self.report = report
    }

    /// Text is read from the outcome once the answer is whole (its data-URL images saved then).
    func receive(text: String) {}

    /// Kept in the provenance of the images that follow.
    func receive(revisedPrompt: String) {
        revisedPrompts.append(revisedPrompt)
        saver.provenance?.revisedPrompt = revisedPrompt
    }

    /// One image part of the response.
    func receive(image: ReturnedImage) {
        switch image {
        case .link(let url):  // links are downloaded by the exchange; one that was not is reported
            report("an image was returned as a link, not data: \(url.prefix(200)); not saved")
        case .undecodable(let reason):
            report("\(reason); not saved")
        case .decoded(let data, _, let sourceURL):
            if let sourceURL {
                guard !seenURLs.contains(sourceURL) else { return }
                seenURLs.insert(sourceURL)
            }
            _ = save(data)
        }
    }

    /// The answer text with each markdown data-URL image saved and replaced by its path.
    /// The end of the answer: images the limit kept from being saved are reported here, in one line.
    func replaceDataURLs(in text: String) -> String {
        var filter = MarkdownImageFilter()
        let replaced = filter.feed(text, replace: saveDataURL) + filter.finish(replace: saveDataURL)
        if let skipped = saver.skippedReport { report(skipped) }
        return replaced
    }

    private func saveDataURL(_ url: String) -> String {
        guard let (_, base64) = ReturnedImageDecoder.splitDataURL(url), let data = ReturnedImageDecoder.decodeBase64(base64) else {
            report("an image in the answer text is not valid base64; not saved")
            return "image-not-saved"
        }
        return save(data) ?? "image-not-saved"
    }

    private func save(_ data: Data) -> String? {
        if saver.isFull {
            _ = try? saver.save(data)  // counted for the one line at the end
            return nil
        }
        do {
            let image = try saver.save(data)
            paths.append(image.path)
            report("saved \(image.path) (\(image.info.width)x\(image.info.height) \(image.info.format.rawValue), \(ByteCountText.format(image.bytes)))")
            return image.path
        } catch {
            if firstFailure == nil { firstFailure = error }
            report(error.message)
            return nil
        }
    }
}
