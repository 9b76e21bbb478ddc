import FoundationEssentials
import TextFormatting
import VisionQuery

/// `vq gen`'s values, checked.
public enum GenOptions {
    public static let formats = ImageGeneration.formats
    public static let backgrounds = ImageGeneration.backgrounds
    public static let moderations = ImageGeneration.moderations
    public static let fidelities = ImageGeneration.fidelities
    public static let qualities = ImageGeneration.qualities

    /// The query options with `generation` set; a PROMPT is required.
    static func parse(_ parsed: ParsedArguments) throws(VQError) -> QueryOptions {
        var options = try QueryOptions(parsed)
        var generation = ImageGeneration()
        generation.count = try QueryOptions.whole(parsed.last(.count), option: "count", range: 1...10)
        if let text = parsed.last(.size), !generation.setSize(text) {
            throw VQError(.usage, "invalid value '\(text)' for '--size': expected WIDTHxHEIGHT such as 1024x1024, or auto")
        }
        if let text = parsed.last(.aspect) {
            guard let aspect = AspectRatio(parsing: text) else { throw VQError(.usage, "invalid value '\(text)' for '--aspect': expected W:H such as 16:9") }
            generation.aspect = aspect
        }
        generation.quality = try choice(parsed.last(.quality), option: "quality", among: qualities)
        generation.background = try choice(parsed.last(.background), option: "background", among: backgrounds)
        generation.format = try choice(parsed.last(.format), option: "format", among: formats)
        generation.compression = try QueryOptions.whole(parsed.last(.compression), option: "compression", range: 0...100)
        generation.moderation = try choice(parsed.last(.moderation), option: "moderation", among: moderations)
        generation.inputFidelity = try choice(parsed.last(.fidelity), option: "fidelity", among: fidelities)
        generation.partialImages = try QueryOptions.whole(parsed.last(.partialImages), option: "partial-images", range: 0...3)
        generation.mask = parsed.last(.mask)
        generation.metadata = !parsed.has(.noMetadata)
        if generation.asksTransparentJPEG {
            throw VQError(.usage, "'--background transparent' needs '--format png' or 'webp' (JPEG has no transparency)")
        }
        if generation.mask != nil && options.positionals.count < 2 && parsed.last(.prompts) == nil {
            throw VQError(.usage, "'--mask' edits an image: give the image after the PROMPT (vq gen PROMPT IMAGE --mask MASK)")
        }
        if parsed.last(.prompts) == nil, options.positionals.first?.trimmingWhitespaceAndNewlines().isEmpty ?? true {
            throw VQError(.usage, "missing PROMPT; usage: vq gen [OPTIONS] PROMPT [IMAGE ...] (see 'vq gen --help')")
        }
        options.generation = generation
        return options
    }

    /// `vq gen --prompts FILE`: the batch settings of a run over a prompt list; nil without `--prompts`. Every option
    /// that only such a run reads is refused without it.
    static func batch(_ parsed: ParsedArguments) throws(VQError) -> GenBatchOptions? {
        guard let prompts = parsed.last(.prompts) else {
            let batchOnly: [OptionName] = [
                .jobs, .rate, .out, .resume, .shard, .shardCount, .shardFromEnv, .maxCost, .providerBatch, .detach, .retryFailed, .keepFiles,
            ]
            if let given = batchOnly.first(where: { parsed.has($0) }) {
                throw VQError(.usage, "'--\(given.rawValue)' applies to a run over a prompt list: vq gen --prompts FILE")
            }
            return nil
        }
        if prompts.isEmpty { throw VQError(.usage, "'--prompts' needs a non-empty path") }
        if let first = parsed.positionals.first {
            throw VQError(
                .usage, "'--prompts' gives the prompts; give no PROMPT or IMAGE argument (got '\(first)'; a JSON line's \"images\" names its images)")
        }
        if parsed.has(.output) { throw VQError(.usage, "'--output' names one image; a prompt list saves many: use -o DIR") }
        if parsed.has(.partialImages) { throw VQError(.usage, "'--partial-images' shows one image's progress; a prompt list waits for whole answers") }
        var settings = try BatchOptions.runSettings(parsed)
        let detach = try BatchOptions.providerBatch(parsed, into: &settings, dryRun: parsed.has(.dryRun))
        return GenBatchOptions(prompts: prompts, settings: settings, detach: detach)
    }

    static func choice(_ text: String?, option: String, among values: [String]) throws(VQError) -> String? {
        guard let text else { return nil }
        let lower = text.lowercased()
        guard values.contains(lower) else {
            throw VQError(.usage, "invalid value '\(text)' for '--\(option)': expected \(values.joined(separator: ", "))")
        }
        return lower
    }
}

/// `vq gen --prompts FILE`: the prompt list and the batch run's settings (jobs, rate, `--out`, `--resume`, shards,
/// `--provider-batch`).
public struct GenBatchOptions: Equatable, Sendable {
    public var prompts: String
    public var settings: BatchSettings
    /// `--detach`: return right after submitting the provider batch.
    public var detach = false

    /// The same run as `vq batch` options, for the provider-batch route they share.
    func batchOptions(query: QueryOptions) -> BatchOptions {
        var options = BatchOptions()
        options.query = query
        options.settings = settings
        options.detach = detach
        return options
    }
}
