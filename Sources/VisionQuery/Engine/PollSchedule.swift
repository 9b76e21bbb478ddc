/// Delays between status polls: start at `initial` seconds, grow ×1.5 each time, never above `cap`.
public struct PollSchedule: Sendable {
    public let initial: Double
    public let factor: Double
    public let cap: Double
    private var current: Double

    public init(initial: Double, factor: Double = 1.5, cap: Double = 10) {
        precondition(initial > 0 && factor >= 1 && cap > 0, "invalid poll schedule")
        self.initial = initial
        self.factor = factor
        self.cap = max(cap, initial)
        current = initial
    }

    /// The delay before the next poll.
    public mutating func next() -> Double {
        let delay = current
        current = min(current * factor, cap)
        return delay
    }
}
