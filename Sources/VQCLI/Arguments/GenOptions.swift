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

    /// The flags of the image maker's options (their values are checked by `ImageGeneration.set`, as a prompt list's are).
    static let flags: [(OptionName, ImageGeneration.Option)] = [
        (.count, .count), (.size, .size), (.aspect, .aspect), (.quality, .quality), (.background, .background), (.format, .format),
        (.compression, .compression), (.moderation, .moderation), (.fidelity, .fidelity), (.partialImages, .partialImages), (.mask, .mask),
    ]

    /// The query options with `generation` set; a PROMPT is required.
    static func parse(_ parsed: ParsedArguments) throws(VQError) -> QueryOptions {
        var options = try QueryOptions(parsed)
        var generation = ImageGeneration()
        for (name, option) in flags {
            guard let text = parsed.last(name) else { continue }
            do throws(ImageGeneration.RefusedValue) { try generation.set(option, text) } catch {
                throw VQError(.usage, "invalid value '\(text)' for '--\(name.rawValue)': expected \(error.expected)")
            }
        }
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
        if prompts == "-", parsed.last(.mask) == "-" {
            throw VQError(.usage, "'--prompts -' reads the prompt list from standard input, so '--mask -' cannot read the mask from it too")
        }
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
