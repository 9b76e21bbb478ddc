/// What a batch does with each item's answer beyond writing its line: a kind of batch (`vq batch detect`) reads the
/// answer itself, checks it and writes files of its own from it. It runs on the sender threads, once per item, with
/// the input the request was made from, before the result's line is written (so a file it writes is on disk before
/// `--resume` counts the item done); an error it sets becomes the item's error.
public struct BatchItemWork: Sendable {
    /// Turns an answered item's result into the one recorded; results that failed or were held back are not passed.
    public var finish: @Sendable (Input, BatchResult) -> BatchResult

    public init(finish: @escaping @Sendable (Input, BatchResult) -> BatchResult) {
        self.finish = finish
    }

    /// `send` with the work done on each answered result (one result per input, in order).
    func applied(to send: @escaping @Sendable ([Input]) -> [BatchResult]) -> @Sendable ([Input]) -> [BatchResult] {
        { [finish] inputs in
            zip(inputs, send(inputs)).map { input, result in result.error == nil && !result.heldBack ? finish(input, result) : result }
        }
    }
}
