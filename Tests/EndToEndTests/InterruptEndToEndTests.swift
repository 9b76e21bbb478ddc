import TestSupport
import XCTest

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
            let process = try VQProcess.start(
                ["Describe", "https://example.org/c.jpg"],
                environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
            XCTAssertEqual(arrived.wait(timeout: .now() + 20), .success, "the request never arrived")
            kill(process.processIdentifier, sig)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, sig)
        }
    }
}

/// `vq … | head -1`: when stdout's reader has gone, vq stops quietly.
final class ClosedStdoutEndToEndTests: EndToEndCase {
    func testClosedStdoutEndsQuietly() throws {
        let server = try OpenAIStubServer()
        let config = try writeConfig(baseURL: server.baseURL)
        let process = Process()
        process.executableURL = VQProcess.executable
        process.arguments = ["Describe", "https://example.org/c.jpg"]
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "VQ_CONFIG": config, "STUB_KEY": Self.key]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try stdout.fileHandleForReading.close()  // the reader is gone before vq writes a byte
        try process.run()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 141)
        XCTAssertEqual(errors, "", "no message when the reader went away")
    }
}
