import FoundationEssentials

/// `vq batch --log`: each request of a batch is recorded as an exchange of its own (its prompt, images and answer),
/// from the sender threads, one at a time.
public enum BatchLog {
    /// `sender.send`, recording each request in `log` after it completes.
    public static func sending(_ sender: BatchRequestSender, to log: QueryLog) -> @Sendable ([Input]) -> [BatchResult] {
        { inputs in
            let started = Date()
            let results = sender.send(inputs)
            guard let first = results.first else { return results }
            var outcome = QueryOutcome()
            outcome.usage = first.usage
            outcome.model = first.model
            // Each line carries its share of the request's cost; the log records the request whole.
            outcome.cost = first.cost.map { share in
                var whole = share
                whole.usd = share.usd.map { CostCalculator.rounded($0 * Double(results.count)) }
                return whole
            }
            _ = log.record(
                query: sender.query(for: inputs), profile: sender.session.profile, conversationID: nil, started: started,
                outcome: first.error == nil ? outcome : nil, answer: first.output ?? "", savedImages: first.savedImages,
                error: first.error)
            return results
        }
    }
}
