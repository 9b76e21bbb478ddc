import FoundationEssentials
import Platform

/// A FIFO between threads: `take` blocks until an item arrives or the queue is closed and empty.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = Condition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false

    func put(_ item: Element) {
        condition.lock()
        precondition(!closed, "put after close")
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}
