import FoundationEssentials
import Platform
import TextFormatting

/// `vq batch --per-page --sidecar md`: each page's answer is kept until every page of its document is in, then the
/// document's sidecar (`report.md`) is written once with the answers in page order, a blank line between them. A
/// document with a failed page gets no sidecar (a later run does it again). Safe to use from the sender threads.
public final class PageSidecars: @unchecked Sendable {
    private let writer: SidecarWriter
    private let lock = Lock()
    /// Document path → the pages this run does, and the answers in so far.
    private var expected: [String: Set<Int>] = [:]
    private var answers: [String: [Int: String]] = [:]
    private var failed: Set<String> = []

    /// `pages`: the page items of this run (`report.pdf#p3`).
    public init(writer: SidecarWriter, pages: [String]) {
        self.writer = writer
        for name in pages {
            guard let (path, page) = PageItem.split(name) else { continue }
            expected[path, default: []].insert(page)
        }
    }

    /// Records one page's result; writes the document's sidecar when it was the last. Returns the error of writing it.
    public func add(_ result: BatchResult) -> VQError? {
        guard let (path, page) = PageItem.split(result.image) else { return nil }
        let complete: [String]? = lock.withLock {
            guard result.succeeded else {
                failed.insert(path)
                return nil
            }
            answers[path, default: [:]][page] = result.output ?? ""
            guard !failed.contains(path), let pages = expected[path], answers[path]?.count == pages.count else { return nil }
            return pages.sorted().map { answers[path]?[$0] ?? "" }
        }
        guard let complete else { return nil }
        do throws(VQError) {
            _ = try writer.write(complete.map { $0.trimmingNewlines() }.joined(separator: "\n\n"), for: path)
            return nil
        } catch {
            return error
        }
    }
}
