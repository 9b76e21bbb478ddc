import FoundationEssentials
import History
import VisionQuery

/// `vq logs [show ID | path]`: prints logged exchanges, one exchange whole, or the database path.
struct LogsCommand {
    let options: LogsOptions
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        console.raw = options.raw
        let reader = LogReader(environment: environment)
        switch options.action {
        case .path:
            console.out(reader.path + "\n")
        case .show(let id):
            let exchange = try reader.exchange(id: id)
            if options.json {
                console.out(JSONText.render(LogRenderer.object(exchange)) + "\n")
            } else {
                console.out(LogRenderer.whole(exchange))
            }
        case .cost(let since, let grouping):
            let totals = try reader.costTotals(since: since, by: grouping)
            if options.json {
                console.out(JSONText.render(CostTotalsReport.object(totals, by: grouping, since: since)) + "\n")
            } else {
                console.out(TextTable.render(CostTotalsReport.rows(totals, by: grouping)))
            }
        case .list:
            let filter = HistoryFilter(limit: options.count, search: options.search, conversationID: options.conversationID, model: options.model)
            let exchanges = try reader.exchanges(filter)
            if exchanges.isEmpty {
                // Said on stderr, so `vq logs --json | jq` still reads nothing; the exit is still 0.
                let filtered = options.search != nil || options.conversationID != nil || options.model != nil
                console.notice(filtered ? "no logged exchange matches" : "the log is empty (\(reader.path))")
                return
            }
            if options.json {
                console.out(exchanges.map { JSONText.render(LogRenderer.object($0)) + "\n" }.joined())
            } else {
                console.out(LogRenderer.text(exchanges))
            }
        }
    }
}
