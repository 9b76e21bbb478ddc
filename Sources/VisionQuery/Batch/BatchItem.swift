/// One image of a batch: the path or URL vq opens and reports (`image` in its line), the key shards and `--resume`
/// use, and the identity that tells two spellings of one file apart from two files.
///
/// The key is the same on every node and however the path was typed: for a file found under a directory argument,
/// its path relative to that directory (`images`, `./images/` and `/data/images` all give `cats/1.jpg`); for any
/// other input, its normalised absolute path or URL (see `CanonicalInput`).
public struct BatchItem: Hashable, Sendable {
    public let path: String
    public let key: String
    /// Normalised absolute path or URL.
    public let identity: String

    public init(path: String, key: String, identity: String) {
        self.path = path
        self.key = key
        self.identity = identity
    }

    /// An input named directly (argument or standard-input list): its key is its identity.
    public static func named(_ path: String) -> BatchItem {
        let identity = CanonicalInput.identity(path)
        return BatchItem(path: path, key: identity, identity: identity)
    }
}
