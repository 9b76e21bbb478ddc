import FoundationEssentials
import Platform

/// Where the images of one batch item go and what its line says of them: saved under `-o`, named after a prompt-list
/// item's id, with how they were made written into each file (`vq gen`). Shared by the direct route and the
/// provider-batch route, so both save and describe an item alike.
struct BatchItemImages {
    let item: BatchItem?
    /// How the images were made; nil for a question about images.
    let provenance: ImageProvenance?
    /// The answer's sink: saves each image it returns.
    let collector: ReturnedImageCollector

    /// `query` is the item's query; a provider batch's result, read after the job ended, has no parts, so its sources
    /// are the item's own names.
    init(query: Query, item: BatchItem?, session: QuerySession, directory: String?, report: @escaping (String) -> Void) {
        let saver = ImageSaver(directory: directory ?? ".", maxImages: session.profile.limits.maxSavedImages, stem: item?.imageStem)
        var provenance = query.generation.map { _ in ImageProvenance(query: query, profile: session.profile) }
        if query.parts.isEmpty, let item { provenance?.sources = item.sources.map(PathText.lastComponent) }
        if query.generation?.metadata == true { saver.provenance = provenance }
        self.provenance = provenance
        self.item = item
        collector = ReturnedImageCollector(saver: saver, report: report)
    }

    /// A generation that saved no image has nothing to show for it: an error, so `--resume` asks again.
    func checkSaved(_ query: Query, profile: String) throws(VQError) {
        guard query.generation != nil, collector.paths.isEmpty else { return }
        throw collector.firstFailure ?? VQError(.unavailable, "\(profile) answered without an image")
    }

    /// The item's own fields of its line (prompt, sources, how its images are made), failed or not.
    func describe(_ result: inout BatchResult) {
        result.prompt = item?.prompt
        result.sources = item?.sources ?? []
        result.provenance = provenance
    }

    /// The images an answer saved, on its line.
    func record(_ result: inout BatchResult) {
        result.savedImages = collector.paths
        result.revisedPrompts = collector.revisedPrompts
    }
}
