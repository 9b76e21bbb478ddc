import XCTest
import TestSupport

/// SIGINT and SIGTERM stop vq promptly, ending it by that signal (the shell reports 130 or 143).
final class InterruptEndToEndTests: EndToEndCase {
    func testSignalsEndAWaitingQuery() throws {
        for sig in [SIGINT, SIGTERM] {
            let arrived = DispatchSemaphore(value: 0)
            let server = try LoopbackHTTPServer { _, writer in
                arrived.signal()
                writer.waitUntilClientGone(timeout: 30)
            }
            let config = try writeConfig(baseURL: server.baseURL + "/v1")
            let process = try VQProcess.start(["Describe", "https://example.org/c.jpg"],
                                              environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
            XCTAssertEqual(arrived.wait(timeout: .now() + 20), .success, "the request never arrived")
            kill(process.processIdentifier, sig)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, sig)
        }
    }
}
