import FoundationEssentials

/// What happens to each batch result before its line is written, in one place for every batch route: its key (for
/// `--shard` and `--resume`), the `--schema` check, and the `--sidecar` file (a failure to write it becomes the
/// result's error, so the line says so and `--resume` retries it).
public struct BatchResultFinisher: Sendable {
    public let selection: BatchSelection
    public var schema: AnswerSchema?
    public var sidecars: SidecarWriter?
    /// `--per-page --sidecar`: pages' answers gathered into their document's sidecar.
    public var pageSidecars: PageSidecars?

    /// Items with their own prompt: a result that failed before it was sent gets its prompt and sources here, so
    /// its line has the same shape as the others.
    private let promptedItems: [String: BatchItem]

    public init(selection: BatchSelection, schema: AnswerSchema?, sidecars: SidecarWriter?) {
        self.selection = selection
        self.schema = schema
        self.sidecars = sidecars
        promptedItems = selection.promptedItems
    }

    public func finish(_ result: BatchResult) -> BatchResult {
        var result = result
        result.key = result.key ?? selection.key(for: result.image)
        if result.prompt == nil, let item = promptedItems[result.image] {
            result.prompt = item.prompt
            result.sources = item.sources
        }
        if let schema { result.check(against: schema) }
        if let pageSidecars, PageItem.split(result.image) != nil {
            if let error = pageSidecars.add(result) { result.error = error }
        } else if let sidecars, result.succeeded {
            do throws(VQError) {
                _ = try sidecars.write(result.output ?? "", for: result.image)
            } catch {
                result.error = error
            }
        }
        return result
    }
}
