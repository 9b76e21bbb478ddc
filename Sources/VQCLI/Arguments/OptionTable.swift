import History
import VisionQuery

/// The commands vq has; the first positional argument picks one, otherwise it is a query.
public enum CommandName: String, CaseIterable, Sendable {
    case query, batch, chat, gen, detect, compare, eval, logs, models, profiles, templates, prices, keys, config, mcp, completions, help, version
}

/// The long name of every option: code that reads an option names it by one of these, so a typo does not compile.
/// The option table (below) has one entry per case, in this order.
public enum OptionName: String, CaseIterable, Sendable {
    case profile
    case model
    case system
    case temperature
    case topP = "top-p"
    case maxTokens = "max-tokens"
    case stop
    case messages
    case `continue`
    case conversation
    case noLog = "no-log"
    case log
    case detail
    case maxSide = "max-side"
    case maxPixels = "max-pixels"
    case noResize = "no-resize"
    case strip
    case quality
    case pages
    case pdf
    case frames
    case fps
    case start
    case end
    case mediaResolution = "media-resolution"
    case keepUploads = "keep-uploads"
    case clipboard
    case noStream = "no-stream"
    case modalities
    case outputDir = "output-dir"
    case output
    case json
    case template
    case save
    case schema
    case header
    case timeout
    case stallTimeout = "stall-timeout"
    case retries
    case retryMaxWait = "retry-max-wait"
    case jobs
    case glob
    case null
    case perRequest = "per-request"
    case perPage = "per-page"
    case rate
    case out
    case format
    case csvRaw = "csv-raw"
    case resume
    case sidecar
    case overwrite
    case shard
    case shardCount = "shard-count"
    case shardFromEnv = "shard-from-env"
    case inputsFrom = "inputs-from"
    case providerBatch = "provider-batch"
    case detach
    case retryFailed = "retry-failed"
    case maxCost = "max-cost"
    case profiles
    case judge
    case minScore = "min-score"
    case keepFiles = "keep-files"
    case count
    case size
    case aspect
    case background
    case compression
    case moderation
    case fidelity
    case partialImages = "partial-images"
    case mask
    case noMetadata = "no-metadata"
    case prompts
    case search
    case cost
    case since
    case by
    case dryRun = "dry-run"
    case countTokens = "count-tokens"
    case points
    case annotate
    case masks
    case classes
    case http
    case verbose
    case quiet
    case color
    case raw
    case config
    case help
    case version
}

/// How a shell should complete an option's value.
public enum CompletionKind: Equatable, Sendable {
    case none, file, directory, profile
    /// A template name from the config (`-T`).
    case template
    case choices([String])
}

/// One command-line option: the single source for the parser, `--help`, the man page and completions.
public struct OptionSpec: Sendable {
    public let name: OptionName
    /// The name after `--`.
    public var long: String { name.rawValue }
    public let short: Character?
    /// Placeholder for the value (`NAME`); nil for flags.
    public let valueName: String?
    public let repeatable: Bool
    public let help: String
    public let completion: CompletionKind
    /// Commands the option applies to.
    public let commands: Set<CommandName>

    public var takesValue: Bool { valueName != nil }
    public var choices: [String]? { if case .choices(let values) = completion { return values } else { return nil } }

    /// "-m, --model NAME"
    public var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += "--\(long)"
        if let valueName { text += " \(valueName)" }
        return text
    }
}

/// Every option vq understands, in the order help lists them.
public enum OptionTable {
    static let query: Set<CommandName> = [.query]
    static let batch: Set<CommandName> = [.batch]
    static let queryAndBatch: Set<CommandName> = [.query, .batch, .chat, .compare, .eval]
    /// `vq gen` only.
    static let gen: Set<CommandName> = [.gen]
    /// Options a query and `vq gen` share: image preparation, saving, one exchange (and so compare and eval too).
    static let queryAndGen: Set<CommandName> = [.query, .chat, .batch, .gen, .compare, .eval]
    /// A query and each turn of a chat.
    static let queryAndChat: Set<CommandName> = [.query, .chat]
    static let all: Set<CommandName> = Set(CommandName.allCases)
    static let withConfig: Set<CommandName> = [.query, .batch, .chat, .gen, .compare, .eval, .models, .profiles, .templates, .prices, .keys, .config, .mcp]
    /// Options that reach the service: queries, batches, chats, generations, comparisons, evaluations and the model list.
    static let talksToService: Set<CommandName> = [.query, .batch, .chat, .gen, .compare, .eval, .models]
    /// The commands that ask several profiles (or models) at once: -p and -m may be repeated.
    static let severalTargets: Set<CommandName> = [.compare, .eval]

    /// Options `vq detect` takes besides its own: the service, the model and how the image is prepared.
    static let detectOptions: Set<OptionName> = [
        .profile, .model, .system, .temperature, .maxTokens, .noLog, .maxSide, .maxPixels, .noResize, .quality, .header, .timeout,
        .stallTimeout, .retries, .dryRun, .verbose, .quiet, .raw, .config, .format, .overwrite, .csvRaw, .outputDir, .pages,
    ]

    public static let options: [OptionSpec] = baseOptions.map { spec in
        guard detectOptions.contains(spec.name) else { return spec }
        return OptionSpec(
            name: spec.name, short: spec.short, valueName: spec.valueName, repeatable: spec.repeatable, help: spec.help,
            completion: spec.completion, commands: spec.commands.union([.detect]))
    }

    private static let baseOptions: [OptionSpec] = [
        OptionSpec(
            name: .profile, short: "p", valueName: "NAME", repeatable: true,
            help:
                "Service profile to use (see 'vq profiles'); default from VQ_PROFILE or default_profile (vq compare and vq eval: repeat it for each profile)",
            completion: .profile, commands: talksToService),
        OptionSpec(
            name: .model, short: "m", valueName: "NAME", repeatable: true,
            help:
                "Model name; default from VQ_MODEL or the profile (vq logs: only exchanges with this model; vq compare and vq eval: repeat it to compare models)",
            completion: .none,
            commands: queryAndBatch.union([.logs, .gen])),
        OptionSpec(
            name: .system, short: "s", valueName: "TEXT", repeatable: false,
            help: "System prompt", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .temperature, short: "t", valueName: "NUM", repeatable: false,
            help: "Sampling temperature, 0 to 2", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .topP, short: nil, valueName: "NUM", repeatable: false,
            help: "Nucleus sampling probability, 0 to 1", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .maxTokens, short: nil, valueName: "N", repeatable: false,
            help: "Maximum number of tokens in the answer", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .stop, short: nil, valueName: "TEXT", repeatable: true,
            help: "Stop sequence (repeatable)", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .messages, short: nil, valueName: "FILE", repeatable: false,
            help: "Earlier conversation to send before the prompt: a JSON list of {role, content} messages (PROMPT then optional)", completion: .file,
            commands: query),
        OptionSpec(
            name: .`continue`, short: "c", valueName: nil, repeatable: false,
            help:
                "Continue the most recent logged conversation: its earlier turns (with their images) are sent first, its profile and model reused unless -p/-m say otherwise",
            completion: .none, commands: queryAndChat),
        OptionSpec(
            name: .conversation, short: nil, valueName: "ID", repeatable: false,
            help: "Continue conversation ID, as -c does (vq logs: only its exchanges)", completion: .none, commands: [.query, .chat, .logs]),
        OptionSpec(
            name: .noLog, short: nil, valueName: nil, repeatable: false,
            help: "Do not record this exchange in the log (see 'vq logs'; config: log = false)", completion: .none,
            commands: queryAndChat.union(gen).union([.compare])),
        OptionSpec(
            name: .log, short: nil, valueName: nil, repeatable: false,
            help: "Record each item in the log, as queries are (batches are not logged otherwise)", completion: .none, commands: batch),
        OptionSpec(
            name: .detail, short: nil, valueName: "LEVEL", repeatable: false,
            help: "Image detail hint for the model", completion: .choices(["low", "high", "auto"]), commands: queryAndBatch),
        OptionSpec(
            name: .maxSide, short: nil, valueName: "N", repeatable: false,
            help: "Shrink images whose longer side is over N pixels (default from the profile; 0 = no limit)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .maxPixels, short: nil, valueName: "N", repeatable: false,
            help: "Shrink images with more than N pixels (default from the profile; 0 = no limit)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .noResize, short: nil, valueName: nil, repeatable: false,
            help: "Send images as they are: no shrinking, no rotation, no re-encoding (still validated)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .strip, short: nil, valueName: nil, repeatable: false,
            help: "Re-encode JPEG and PNG images to drop their metadata (EXIF, GPS) even when no shrinking is needed", completion: .none,
            commands: queryAndGen),
        OptionSpec(
            name: .quality, short: nil, valueName: "N|LEVEL", repeatable: false,
            help:
                "JPEG quality, 1 to 100, for re-encoded images (default 85); vq gen: the image's quality, low, medium, high or auto (standard or hd for dall-e-3)",
            completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .pages, short: nil, valueName: "RANGES", repeatable: false,
            help: "Only these pages of each PDF, e.g. 1-3,7 or 5- (both routes: a PDF of just them, or just them rendered)",
            completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .pdf, short: nil, valueName: "ROUTE", repeatable: false,
            help:
                "How PDFs are sent: native (the service reads the file), render (each page as an image) or auto (default: native where the profile's service reads PDFs and its limits allow)",
            completion: .choices(DocumentChoice.allCases.map(\.rawValue)), commands: queryAndBatch),
        OptionSpec(
            name: .frames, short: nil, valueName: "N", repeatable: false,
            help:
                "Sample N frames of each video, evenly between --start and --end, sent as images (default: as many as the profile's image limit allows, at most one a second)",
            completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .fps, short: nil, valueName: "R", repeatable: false,
            help: "Sample R frames per second of each video (e.g. 0.5; at most the video's own rate); a service that reads video whole is asked to sample at R",
            completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .start, short: nil, valueName: "TIME", repeatable: false,
            help: "Watch each video from TIME: seconds, M:SS or H:MM:SS, with a fraction if need be (e.g. 1:20.5)", completion: .none,
            commands: queryAndBatch),
        OptionSpec(
            name: .end, short: nil, valueName: "TIME", repeatable: false,
            help: "Watch each video up to TIME (as --start; default: its end)", completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .mediaResolution, short: nil, valueName: "LEVEL", repeatable: false,
            help:
                "Gemini: tokens spent on each image, video frame and PDF page: low, medium or high (default: the model's)",
            completion: .choices(MediaResolution.allCases.map(\.rawValue)), commands: queryAndBatch),
        OptionSpec(
            name: .keepUploads, short: nil, valueName: nil, repeatable: false,
            help:
                "Gemini: leave files uploaded through the Files API (media over the 20 MB inline cap) on the service for their 48 hours, so that -c reuses them; by default they are deleted after the answer",
            completion: .none, commands: queryAndBatch),
        OptionSpec(
            name: .clipboard, short: nil, valueName: nil, repeatable: false,
            help: "Send the image on the clipboard too (wl-paste, xclip or osascript; in vq chat: /paste)", completion: .none,
            commands: queryAndChat),
        OptionSpec(
            name: .noStream, short: nil, valueName: nil, repeatable: false,
            help: "Wait for the whole answer instead of streaming it", completion: .none, commands: queryAndChat.union(gen)),
        OptionSpec(
            name: .modalities, short: nil, valueName: "LIST", repeatable: false,
            help: "Kinds of output to ask for, e.g. text,image (sends \"modalities\"; default from the profile)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .outputDir, short: "o", valueName: "DIR", repeatable: false,
            help:
                "Directory for images the model returns, named vq-DATE-TIME-N.EXT (default: the current directory); vq detect: for --masks",
            completion: .directory,
            commands: queryAndGen),
        OptionSpec(
            name: .output, short: nil, valueName: "FILE", repeatable: false,
            help: "Save the returned image as FILE (never overwritten; more images become FILE-2.EXT, ...)", completion: .file, commands: query.union(gen)),
        OptionSpec(
            name: .json, short: nil, valueName: nil, repeatable: false,
            help:
                "Print JSON instead of text: for a query one object (text, model, profile, finish_reason, usage, cost, saved_images, id, conversation_id); vq logs one object per exchange; vq models, vq profiles, vq templates and vq prices the list",
            completion: .none, commands: [.query, .gen, .compare, .eval, .logs, .models, .profiles, .templates, .prices]),
        OptionSpec(
            name: .template, short: "T", valueName: "NAME", repeatable: false,
            help:
                "Ask with template NAME (a [templates.NAME] section of the config, or one saved with --save): its prompt first, then PROMPT if given; its options unless given here",
            completion: .template, commands: queryAndBatch),
        OptionSpec(
            name: .save, short: nil, valueName: "NAME", repeatable: false,
            help:
                "Save PROMPT and the options a template holds as template NAME (templates.d/NAME.toml in vq's config directory; never over one unless --overwrite) instead of asking",
            completion: .none, commands: query),
        OptionSpec(
            name: .schema, short: nil, valueName: "SCHEMA", repeatable: false,
            help:
                "Answer with one JSON object following SCHEMA (a JSON Schema file, inline JSON, or 'caption, tags [string], people int'), checked before it is printed",
            completion: .file, commands: queryAndBatch),
        OptionSpec(
            name: .header, short: "H", valueName: "'NAME: VALUE'", repeatable: true,
            help: "Extra HTTP header to send (repeatable)", completion: .none, commands: talksToService),
        OptionSpec(
            name: .timeout, short: nil, valueName: "SECONDS", repeatable: false,
            help: "Give up when the whole request takes longer than this", completion: .none, commands: talksToService),
        OptionSpec(
            name: .stallTimeout, short: nil, valueName: "SECONDS", repeatable: false,
            help:
                "Give up when nothing arrives for this long (default \(Int(TimeoutDefaults.streamStall)); \(Int(TimeoutDefaults.wholeAnswerStall)) for whole answers: --no-stream, vq batch)",
            completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .retries, short: nil, valueName: "N", repeatable: false,
            help: "Retries for connection failures, 408, 409, 429 and 5xx, with backoff (default 2)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .retryMaxWait, short: nil, valueName: "SECONDS", repeatable: false,
            help: "Longest Retry-After wait to honour; a longer demand fails at once (default 60)", completion: .none, commands: queryAndGen),
        OptionSpec(
            name: .jobs, short: "j", valueName: "N", repeatable: false,
            help: "Requests in flight at once (default 4)", completion: .none, commands: batch.union([.eval, .gen])),
        OptionSpec(
            name: .glob, short: nil, valueName: "PATTERN", repeatable: false,
            help: "Only files whose name matches PATTERN (e.g. '*.jpg') in directories", completion: .none, commands: batch),
        OptionSpec(
            name: .null, short: "0", valueName: nil, repeatable: false,
            help: "The list of images on standard input ('-') is NUL-separated (find -print0)", completion: .none, commands: batch),
        OptionSpec(
            name: .perRequest, short: nil, valueName: "N", repeatable: false,
            help: "Images sent together in one request, each still getting its own line (default 1)", completion: .none, commands: batch),
        OptionSpec(
            name: .perPage, short: nil, valueName: nil, repeatable: false,
            help: "One request and one line per PDF page (key report.pdf#p3); with --sidecar md, report.md gets the pages' answers in order",
            completion: .none, commands: batch),
        OptionSpec(
            name: .rate, short: nil, valueName: "N/min", repeatable: false,
            help: "At most N requests per minute (also N/s, N/h); HTTP 429 slows the whole batch down", completion: .none, commands: batch.union([.eval, .gen])),
        OptionSpec(
            name: .out, short: nil, valueName: "FILE", repeatable: false,
            help: "Append the JSON Lines to FILE (each line synced to disk, the file locked against a second vq) instead of stdout", completion: .file,
            commands: batch.union([.eval, .gen])),
        OptionSpec(
            name: .format, short: nil, valueName: "FORMAT", repeatable: false,
            help:
                "jsonl (default) or csv: one RFC 4180 row per image, columns image, each --schema property (else output), error; vq gen: the image format, png, jpeg or webp; vq detect and vq batch detect: json (default), coco, yolo or csv",
            completion: .choices(BatchFormat.allCases.map(\.rawValue) + GenOptions.formats + ["json", "coco", "yolo"]),
            commands: batch.union(gen).union([.eval])),
        OptionSpec(
            name: .csvRaw, short: nil, valueName: nil, repeatable: false,
            help: "With --format csv: write cells as they are (by default one starting with = + - @ TAB or CR gets a leading ')",
            completion: .none, commands: batch),
        OptionSpec(
            name: .resume, short: nil, valueName: nil, repeatable: false,
            help: "With --out: skip images FILE already answers; redo failed ones and a line torn by a crash", completion: .none,
            commands: batch.union([.eval, .gen])
        ),
        OptionSpec(
            name: .sidecar, short: nil, valueName: "EXT", repeatable: false,
            help: "Write each answer beside its image (photo.jpg -> photo.EXT) instead of to stdout; images with one are skipped", completion: .none,
            commands: batch),
        OptionSpec(
            name: .overwrite, short: nil, valueName: nil, repeatable: false,
            help:
                "With --sidecar: replace existing sidecar files instead of skipping their images; with --save: replace the saved template; vq detect --annotate, vq batch detect --format yolo: replace an existing picture or label file",
            completion: .none, commands: batch.union(query)),
        OptionSpec(
            name: .shard, short: nil, valueName: "K/N", repeatable: false,
            help:
                "Process only shard K of N (0 <= K < N), by a stable hash of each image's key (its path inside the directory given, else its absolute path or URL)",
            completion: .none, commands: batch.union(gen)),
        OptionSpec(
            name: .shardCount, short: nil, valueName: "N", repeatable: false,
            help:
                "Split into N shards, this task's 0-based index taken from SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX (an error when unset or not below N)",
            completion: .none, commands: batch.union(gen)),
        OptionSpec(
            name: .shardFromEnv, short: nil, valueName: "VAR", repeatable: false,
            help: "With --shard-count: take this task's 0-based index from environment variable VAR (e.g. SLURM_PROCID)", completion: .none,
            commands: batch.union(gen)),
        OptionSpec(
            name: .inputsFrom, short: nil, valueName: "FILE", repeatable: false,
            help:
                "Read the images from FILE, one path or URL per line (NUL-separated with -0), instead of arguments; a shard reads only the list, never the files of other shards",
            completion: .file, commands: batch),
        OptionSpec(
            name: .providerBatch, short: nil, valueName: nil, repeatable: false,
            help:
                "Send through the provider's own batch API (openai, openai-responses, anthropic, gemini): about half the price, results within hours; needs --out, beside which the job's state is kept",
            completion: .none, commands: batch.union(gen)),
        OptionSpec(
            name: .detach, short: nil, valueName: nil, repeatable: false,
            help: "With --provider-batch: return once the job is submitted; the same command with --resume (or vq batch status --out FILE) picks it up",
            completion: .none, commands: batch),
        OptionSpec(
            name: .retryFailed, short: nil, valueName: nil, repeatable: false,
            help: "With --provider-batch --resume: submit the images whose lines failed (or expired) in the finished job again, as a new job",
            completion: .none, commands: batch),
        OptionSpec(
            name: .maxCost, short: nil, valueName: "USD", repeatable: false,
            help:
                "Spend at most USD on this run: sent requests count at their cost, the next at its estimate; the batch stops before going over (--resume with a new budget continues; see 'vq prices')",
            completion: .none, commands: batch.union(gen)),
        OptionSpec(
            name: .profiles, short: nil, valueName: "A,B,...", repeatable: false,
            help: "Ask every profile named about every image: one line per image and profile (\"profile\" tells them apart), resumable",
            completion: .none, commands: batch),
        OptionSpec(
            name: .judge, short: nil, valueName: "PROFILE", repeatable: false,
            help: "Profile that scores the cases whose expectation is 'judge' (it answers PASS or FAIL)", completion: .profile, commands: [.eval]),
        OptionSpec(
            name: .minScore, short: nil, valueName: "RATE", repeatable: false,
            help: "Exit 1 when any profile passes fewer than RATE of the cases (0 to 1, or a percentage such as 90%)", completion: .none,
            commands: [.eval]),
        OptionSpec(
            name: .keepFiles, short: nil, valueName: nil, repeatable: false,
            help: "With --provider-batch: keep the uploaded input and the result files at the provider (deleted once the results are written otherwise)",
            completion: .none, commands: batch),
        OptionSpec(
            name: .count, short: "n", valueName: "N", repeatable: false,
            help: "vq logs: show the latest N exchanges (default 3); vq gen: images to make (default 1)", completion: .none, commands: [.logs, .gen]),
        OptionSpec(
            name: .size, short: nil, valueName: "WxH|auto", repeatable: false,
            help: "Size of the image to make, e.g. 1536x1024; converted to the nearest size the api allows (-v says which)", completion: .none,
            commands: gen),
        OptionSpec(
            name: .aspect, short: nil, valueName: "W:H", repeatable: false,
            help: "Aspect ratio of the image to make, e.g. 16:9; converted to the nearest the api allows", completion: .none, commands: gen),
        OptionSpec(
            name: .background, short: nil, valueName: "KIND", repeatable: false,
            help: "Background of the image to make: transparent (png or webp), opaque or auto", completion: .choices(GenOptions.backgrounds),
            commands: gen),
        OptionSpec(
            name: .compression, short: nil, valueName: "N", repeatable: false,
            help: "Compression of a jpeg or webp image to make, 0 to 100", completion: .none, commands: gen),
        OptionSpec(
            name: .moderation, short: nil, valueName: "LEVEL", repeatable: false,
            help: "Content moderation of a generation: auto (default) or low", completion: .choices(GenOptions.moderations), commands: gen),
        OptionSpec(
            name: .fidelity, short: nil, valueName: "LEVEL", repeatable: false,
            help: "How closely an edit keeps the input images' features (faces, logos): high or low", completion: .choices(GenOptions.fidelities),
            commands: gen),
        OptionSpec(
            name: .partialImages, short: nil, valueName: "N", repeatable: false,
            help: "Stream N (0 to 3) partial images while the image is made; a terminal shows their progress", completion: .none, commands: gen),
        OptionSpec(
            name: .mask, short: nil, valueName: "FILE", repeatable: false,
            help: "Edit only where this PNG is transparent; the same size as the first image (resized with it when it is shrunk)",
            completion: .file, commands: gen),
        OptionSpec(
            name: .noMetadata, short: nil, valueName: nil, repeatable: false,
            help: "Do not write how an image was made (prompt, model, options, sources) into the saved file", completion: .none, commands: gen),
        OptionSpec(
            name: .prompts, short: nil, valueName: "FILE", repeatable: false,
            help:
                "Make images for every prompt in FILE (one per line, or JSON Lines {\"prompt\",\"images\",\"id\"}) like vq batch: -j, --out, --resume, --shard; images named ID-N.EXT",
            completion: .file, commands: gen),
        OptionSpec(
            name: .search, short: nil, valueName: "TEXT", repeatable: false,
            help: "Only exchanges whose prompt or answer contains every word of TEXT (full-text search)", completion: .none, commands: [.logs]),
        OptionSpec(
            name: .cost, short: nil, valueName: nil, repeatable: false,
            help: "Show what the logged exchanges cost in US dollars, totalled per model (exchanges of unknown cost counted apart)", completion: .none,
            commands: [.logs]),
        OptionSpec(
            name: .since, short: nil, valueName: "AGE", repeatable: false,
            help: "With --cost: only exchanges of the last AGE (30m, 12h, 7d, 4w) or since a date (2026-12-01)", completion: .none, commands: [.logs]),
        OptionSpec(
            name: .by, short: nil, valueName: "KEY", repeatable: false,
            help: "With --cost: one total per model (default), profile or UTC day", completion: .choices(CostGrouping.allCases.map(\.rawValue)),
            commands: [.logs]),
        OptionSpec(
            name: .dryRun, short: nil, valueName: nil, repeatable: false,
            help: "Print the request that would be sent (base64 elided, key redacted) and exit", completion: .none, commands: [.query, .batch, .gen]),
        OptionSpec(
            name: .countTokens, short: nil, valueName: nil, repeatable: false,
            help:
                "Ask the service to count the input tokens exactly (anthropic, gemini; no answer is generated) and print the count and its cost",
            completion: .none, commands: query),
        OptionSpec(
            name: .points, short: nil, valueName: nil, repeatable: false,
            help: "vq detect: one point per object ([x, y]) instead of a box", completion: .none, commands: [.detect, .batch]),
        OptionSpec(
            name: .annotate, short: nil, valueName: "PATH", repeatable: false,
            help:
                "vq detect: also draw the boxes (points, masks) with their labels onto the original image and save it as PATH (.jpg or .png); vq batch detect: into folder PATH, one picture per image mirroring its path (never over an existing file without --overwrite)",
            completion: .file, commands: [.detect, .batch]),
        OptionSpec(
            name: .masks, short: nil, valueName: nil, repeatable: false,
            help:
                "vq detect: ask for each object's segmentation mask too (Gemini 2.5); each saved as IMAGE-mask-N.png (the original's size, 255 on the object) in --output-dir, its path in \"mask\"",
            completion: .none, commands: [.detect]),
        OptionSpec(
            name: .classes, short: nil, valueName: "FILE", repeatable: false,
            help:
                "vq detect --format yolo|coco: the class names, one per line, a class's id its line number from 0; read when it exists, new labels appended (vq batch detect: default OUT/classes.txt)",
            completion: .file, commands: [.detect, .batch]),
        OptionSpec(
            name: .http, short: nil, valueName: "PORT", repeatable: false,
            help: "vq mcp: serve the streamable HTTP transport on 127.0.0.1:PORT/mcp instead of stdio (0: any free port)", completion: .none,
            commands: [.mcp]),
        OptionSpec(
            name: .verbose, short: "v", valueName: nil, repeatable: false,
            help: "Describe images, the request and timing on stderr (the key is never shown)", completion: .none, commands: talksToService),
        OptionSpec(
            name: .quiet, short: "q", valueName: nil, repeatable: false,
            help: "Print no warnings or notices on stderr, only errors", completion: .none, commands: talksToService),
        OptionSpec(
            name: .color, short: nil, valueName: "WHEN", repeatable: false,
            help: "Colour errors, warnings, chat prompts and vq logs headings: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always or never",
            completion: .choices(ColorMode.allCases.map(\.rawValue)), commands: all),
        OptionSpec(
            name: .raw, short: nil, valueName: nil, repeatable: false,
            help: "On a terminal, print control characters from the model or service as they are (default: shown as ^[)",
            completion: .none, commands: talksToService.union([.logs])),
        OptionSpec(
            name: .config, short: nil, valueName: "PATH", repeatable: false,
            help: "Config file to read instead of the default location", completion: .file, commands: withConfig),
        OptionSpec(
            name: .help, short: "h", valueName: nil, repeatable: false,
            help: "Show help and exit", completion: .none, commands: all),
        OptionSpec(
            name: .version, short: nil, valueName: nil, repeatable: false,
            help: "Show the version and exit", completion: .none, commands: all),
    ]

    public static func option(long: String) -> OptionSpec? { options.first { $0.long == long } }
    public static func option(short: Character) -> OptionSpec? { options.first { $0.short == short } }

    /// Subcommand words and their one-line descriptions.
    public static let commands: [(usage: String, help: String)] = [
        ("batch PROMPT [IMAGE|DIR|- ...]", "Ask PROMPT about many images concurrently; one JSON line per image (see 'vq batch --help')"),
        (
            "compare -p A -p B PROMPT [INPUT ...]",
            "Ask several profiles (or -m models) the same question at once; answers side by side with latency, tokens and cost"
        ),
        ("eval CASES.jsonl -p A [-p B]", "Score profiles on your own cases (exact, contains, regex, numeric, schema, fields, judge); a table per profile"),
        ("batch status|cancel --out FILE", "Show or cancel the provider batch whose results go to FILE (--provider-batch)"),
        ("batch merge FILE...", "Write the --out files of every shard K/N to stdout once they prove complete; else name the missing or unfinished"),
        ("gen PROMPT [IMAGE ...] [--mask FILE]", "Make images from PROMPT, or edit the IMAGEs; saved with how they were made (see 'vq gen --help')"),
        ("gen --prompts FILE [-j N] [--out FILE]", "Make images for every prompt in FILE, one result line each, resumable like vq batch"),
        (
            "chat [OPTIONS] [IMAGE ...]",
            "Talk with the model: each line is a turn, /image PATH adds an image or PDF, /paste the clipboard's image, /exit or Ctrl-D leaves"
        ),
        (
            "batch detect TARGET [IMAGE|DIR|- ...]",
            "Detect TARGET in every image: JSON lines, or a dataset's labels with --format yolo|coco|csv --out (resumable, shards)"
        ),
        ("detect TARGET IMAGE", "Find TARGET (\"every person\") in IMAGE: JSON with each object's label, box or point in the image's own pixels, score"),
        ("logs [-n N] [--search TEXT] [--json]", "Show the latest logged exchanges; 'logs show ID' prints one whole, 'logs path' the database"),
        ("logs --cost [--since AGE] [--by KEY]", "Total what the logged exchanges cost, per model, profile or day"),
        ("models [-p PROFILE] [--json]", "List the models the profile's service offers to this key"),
        ("profiles [--json]", "List every profile, built-in and configured: api, model, base URL, whether a key is available"),
        ("templates [--json]", "List the templates (config sections and saved ones): name, profile, first line of the prompt, file"),
        (
            "keys set|list|remove [PROFILE]",
            "Store an API key by name (the profile's key_env, shared by the profiles that use it; read without echo), list keys and the profiles they serve, remove one"
        ),
        ("prices [MODEL] [--json]", "Show the prices vq counts cost with (USD per million tokens) and where each comes from: the bundled table or the config"),
        ("config path", "Print the config file path vq reads"),
        ("config check", "Parse the config file and report the first error with its line"),
        (
            "mcp",
            "Serve the Model Context Protocol on stdio (or --http PORT): coding agents call ask, detect, generate_image, edit_image, list_profiles and list_models"
        ),
        ("completions bash|zsh|fish", "Print a shell completion script"),
        ("help [COMMAND]", "Show the help of vq or of COMMAND (as --help does)"),
        ("version", "Print vq's version (as --version does)"),
    ]
}
