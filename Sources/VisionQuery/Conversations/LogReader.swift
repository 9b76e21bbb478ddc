import FoundationEssentials
import History

/// `vq logs`: reads the log for listings and single exchanges. A log that does not exist yet reads as empty;
/// one that cannot be read is exit 66 with SQLite's reason.
public struct LogReader {
    public let path: String

    public init(environment: [String: String]) {
        path = LogLocator.path(environment: environment)
    }

    /// The newest matches, oldest first.
    public func exchanges(_ filter: HistoryFilter) throws(VQError) -> [HistoryExchange] {
        try reading { (store) throws(HistoryError) in try store.exchanges(filter) } ?? []
    }

    /// One exchange; 64 when there is none with this id.
    public func exchange(id: Int) throws(VQError) -> HistoryExchange {
        guard let found = try reading({ (store) throws(HistoryError) in try store.exchange(id: id) }) ?? nil else {
            throw VQError(.usage, "no exchange \(id) in the log (see 'vq logs')")
        }
        return found
    }

    /// Cost totals since `since` (all when nil), grouped; empty when nothing is logged.
    public func costTotals(since: Date?, by grouping: CostGrouping) throws(VQError) -> [CostTotal] {
        try reading { (store) throws(HistoryError) in try store.costTotals(since: since, by: grouping) } ?? []
    }

    private func reading<T>(_ body: (HistoryStore) throws(HistoryError) -> T) throws(VQError) -> T? {
        do throws(HistoryError) {
            guard let store = try HistoryStore.open(path: path, create: false) else { return nil }
            return try body(store)
        } catch {
            throw VQError(.inputMissing, "\(path): cannot read the log: \(error.message)")
        }
    }
}
