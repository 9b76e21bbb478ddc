import Foundation
import Transport
import XCTest

@testable import VisionQuery

final class AccessTokenCacheTests: XCTestCase {
    /// Hands out `token-1`, `token-2`, … and counts the fetches.
    private final class TokenSource: @unchecked Sendable {
        private let lock = NSLock()
        private var fetches = 0
        var count: Int { lock.withLock { fetches } }
        func next() -> String {
            lock.withLock {
                fetches += 1
                return "token-\(fetches + 1)"
            }
        }
    }

    private func context(_ source: TokenSource) -> ExchangeContext {
        ExchangeContext(client: CurlHTTPClient(), transfer: TransferOptions(), key: "token-1", refreshKey: { source.next() })
    }

    private func unauthorized() -> VQError {
        var error = VQError(.permission, "HTTP 401")
        error.httpStatus = 401
        return error
    }

    func testA401IsAnsweredWithOneNewToken() throws {
        let source = TokenSource()
        let cache = AccessTokenCache()
        var sent: [String?] = []
        let answer = try cache.run(context(source)) { (context) throws(VQError) -> String in
            sent.append(context.key)
            if context.key == "token-1" { throw unauthorized() }
            return "answered"
        }
        XCTAssertEqual(answer, "answered")
        XCTAssertEqual(sent, ["token-1", "token-2"])
        XCTAssertEqual(source.count, 1)
    }

    /// The token this request renewed was used up by a concurrent one before this one sent again: it renews again.
    func testATokenUsedUpBeforeTheRetryIsRenewedAgain() throws {
        let source = TokenSource()
        let cache = AccessTokenCache()
        var sent: [String?] = []
        let answer = try cache.run(context(source)) { (context) throws(VQError) -> String in
            sent.append(context.key)
            if context.key != "token-3" { throw unauthorized() }
            return "answered"
        }
        XCTAssertEqual(answer, "answered")
        XCTAssertEqual(sent, ["token-1", "token-2", "token-3"])
    }

    func testACredentialTheServiceNeverAcceptsFailsAfterTheRenewals() {
        let source = TokenSource()
        let cache = AccessTokenCache()
        var attempts = 0
        XCTAssertThrowsError(
            try cache.run(context(source)) { (_: ExchangeContext) throws(VQError) -> String in
                attempts += 1
                throw unauthorized()
            }
        ) { XCTAssertEqual(($0 as? VQError)?.httpStatus, 401) }
        XCTAssertEqual(attempts, 1 + AccessTokenCache.renewalsPerExchange)
        XCTAssertEqual(source.count, AccessTokenCache.renewalsPerExchange)
    }
}
