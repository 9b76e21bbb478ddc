import FoundationEssentials

/// One item of a batch: the path or URL vq opens and reports (`image` in its line), the key shards and `--resume`
/// use, and the identity that tells two spellings of one file apart from two files. An item of a prompt list
/// (`vq gen --prompts`) carries its own prompt and source images; its `path` is then its id.
///
/// The key is the same on every node and however the path was typed: for a file found under a directory argument,
/// its path relative to that directory (`images`, `./images/` and `/data/images` all give `cats/1.jpg`); for any
/// other input, its normalised absolute path or URL (see `CanonicalInput`).
public struct BatchItem: Hashable, Sendable {
    public let path: String
    public let key: String
    /// Normalised absolute path or URL.
    public let identity: String
    /// The item's own prompt, instead of the run's shared one.
    public var prompt: String?
    /// The inputs (paths or URLs) an item with its own prompt sends; none for a generation from text alone.
    public var sources: [String] = []
    /// A prompt list line's own image-maker options (and model), over the command line's.
    public var options = PromptLineOptions()

    public init(path: String, key: String, identity: String) {
        self.path = path
        self.key = key
        self.identity = identity
    }

    /// The stem of the names of images saved for an item with its own prompt: its id with anything but letters,
    /// digits, `.`, `-` and `_` made `_`, at most 64 characters (`fox` saves `fox-1.png`).
    public var imageStem: String {
        let kept = path.unicodeScalars.prefix(64).map { scalar -> Character in
            scalar.isASCII && ((Character(scalar).isLetter || Character(scalar).isNumber) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        }
        let stem = String(kept)
        return stem.hasPrefix(".") ? "_" + stem.dropFirst() : stem
    }

    /// An item with its own prompt and sources, known by `id` (its key and identity too).
    public static func prompted(id: String, prompt: String, sources: [String], options: PromptLineOptions = PromptLineOptions()) -> BatchItem {
        var item = BatchItem(path: id, key: id, identity: id)
        item.prompt = prompt
        item.sources = sources
        item.options = options
        return item
    }

    /// An input named directly (argument or standard-input list): its key is its identity.
    public static func named(_ path: String) -> BatchItem {
        let identity = CanonicalInput.identity(path)
        return BatchItem(path: path, key: identity, identity: identity)
    }
}
