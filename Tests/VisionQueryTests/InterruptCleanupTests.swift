import Foundation
import Interrupts
import XCTest

/// The interrupt cleanup table hands out each slot once, even when many threads register at the same moment.
final class InterruptCleanupTests: XCTestCase {
    /// Slots free now (the table has 64; another test's live file would hold one), counted one thread at a time.
    func freeSlots() -> Int {
        var tokens: [InterruptCleanup.Token] = []
        while true {
            let token = InterruptCleanup.track("/nonexistent/vq-cleanup-test-count")
            guard token.isRegistered else { break }
            tokens.append(token)
        }
        for token in tokens { token.release() }
        return tokens.count
    }

    func testConcurrentRegistrationsFillEverySlotExactlyOnce() {
        let slots = freeSlots()
        XCTAssertGreaterThan(slots, 32)
        for round in 0..<20 {
            let tokens = TokenBox()
            DispatchQueue.concurrentPerform(iterations: slots) { index in
                tokens.append(InterruptCleanup.track("/nonexistent/vq-cleanup-test-\(round)-\(index)"))
            }
            let all = tokens.values
            XCTAssertEqual(all.filter(\.isRegistered).count, slots, "round \(round): every concurrent registration gets a slot")
            // Had two threads been given the same slot, one slot would still be free and this would succeed.
            let extra = InterruptCleanup.track("/nonexistent/vq-cleanup-test-extra")
            XCTAssertFalse(extra.isRegistered, "round \(round): the table is full, so no slot was handed out twice")
            extra.release()
            DispatchQueue.concurrentPerform(iterations: slots) { all[$0].release() }
        }
        let again = InterruptCleanup.track("/nonexistent/vq-cleanup-test-after")
        XCTAssertTrue(again.isRegistered, "released slots are free again")
        again.release()
    }
}

/// Tokens collected from several threads.
private final class TokenBox: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [InterruptCleanup.Token] = []
    func append(_ token: InterruptCleanup.Token) { lock.withLock { tokens.append(token) } }
    var values: [InterruptCleanup.Token] { lock.withLock { tokens } }
}
