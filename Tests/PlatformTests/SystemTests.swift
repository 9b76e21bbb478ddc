import Dispatch
import Foundation
import Platform
import XCTest

/// The system replacements for Foundation's Process, FileHandle, FileManager's enumerator, NSLock/NSCondition and
/// Thread work against the real system.
final class SystemTests: XCTestCase {
    func testSubprocessCapturesOutputErrorsAndStatus() throws {
        let process = try Subprocess(
            executable: "/bin/sh", arguments: ["-c", "echo out; echo \"$VQ_TEST_VALUE\" >&2; read line || echo eof; exit 3"],
            environment: ["VQ_TEST_VALUE": "err"], captureStandardError: true)
        let output = try FileIO.readToEnd(process.standardOutput)
        let errors = try FileIO.readToEnd(process.standardError)
        XCTAssertEqual(process.wait(), .exited(3))
        XCTAssertEqual(String(decoding: output, as: UTF8.self), "out\neof\n", "standard input is /dev/null")
        XCTAssertEqual(String(decoding: errors, as: UTF8.self), "err\n")
    }

    func testSubprocessReportsSignalsAndMissingPrograms() throws {
        let process = try Subprocess(executable: "/bin/sh", arguments: ["-c", "kill -TERM $$"], environment: [:], captureStandardError: false)
        XCTAssertEqual(process.wait(), .signalled(SIGTERM))
        XCTAssertThrowsError(try Subprocess(executable: "/nonexistent/program", arguments: [], environment: [:], captureStandardError: false)) { error in
            XCTAssertEqual(error as? SystemError, SystemError(ENOENT))
        }
    }

    func testFileIOReadsAndWritesFiles() throws {
        let path = NSTemporaryDirectory() + "vq-fileio-\(getpid())"
        defer { unlink(path) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        let bytes = Data((0..<200_000).map { UInt8($0 % 251) })
        try FileIO.write(bytes, to: descriptor)
        close(descriptor)
        XCTAssertEqual(try FileIO.contents(ofPath: path), bytes)
        for size in [0, 1, 65_535, 65_536, 65_537] {  // read at the size fstat gives, then the one-byte end probe
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: bytes.prefix(size)))
            XCTAssertEqual(try FileIO.contents(ofPath: path), bytes.prefix(size), "\(size) bytes")
        }
        // A file whose size stat does not know (procfs says 0) is read in chunks to its end.
        let status = String(decoding: try FileIO.contents(ofPath: "/proc/self/status"), as: UTF8.self)
        XCTAssertTrue(status.hasPrefix("Name:") && status.contains("\nPid:"), status)
        XCTAssertThrowsError(try FileIO.contents(ofPath: path + "-missing")) { error in
            XCTAssertEqual("\(error)", "no such file or directory")
        }
    }

    func testDirectoryWalkerSkipsWhatTheVisitorDeclinesAndNeverFollowsLinks() throws {
        let root = NSTemporaryDirectory() + "vq-walk-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for directory in ["a/b", ".hidden", "c"] { try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true) }
        for file in ["top.jpg", "a/one.png", "a/b/two.gif", ".hidden/secret.jpg"] {
            FileManager.default.createFile(atPath: root + "/" + file, contents: Data())
        }
        try FileManager.default.createSymbolicLink(atPath: root + "/c/link", withDestinationPath: root + "/a")
        var seen: [String: DirectoryWalker.Kind] = [:]
        try DirectoryWalker.walk(root) { relative, kind in
            seen[relative] = kind
            return !relative.hasPrefix(".")
        }
        XCTAssertEqual(Set(seen.keys), ["top.jpg", "a", "a/one.png", "a/b", "a/b/two.gif", ".hidden", "c", "c/link"])
        XCTAssertEqual(seen["a/b"], .directory)
        XCTAssertEqual(seen["a/b/two.gif"], .regular)
        XCTAssertEqual(seen["c/link"], .other)
        XCTAssertThrowsError(try DirectoryWalker.walk(root + "/missing") { _, _ in true })
    }

    func testConditionWaitsUntilSignalledOrTimedOut() {
        let condition = Condition()
        condition.lock()
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertFalse(condition.wait(seconds: 0.05), "nothing signals: the wait times out")
        XCTAssertGreaterThanOrEqual(DispatchTime.now().uptimeNanoseconds - start, 50_000_000)
        condition.unlock()

        let box = Box()
        BackgroundThread.start {
            condition.lock()
            box.value = 1
            condition.signal()
            condition.unlock()
        }
        condition.lock()
        while box.value == 0 { condition.wait() }
        condition.unlock()
        XCTAssertEqual(box.value, 1)
    }

    func testLockSerialisesThreads() {
        let lock = Lock()
        let box = Box()
        let group = DispatchGroup()
        for _ in 0..<8 {
            group.enter()
            BackgroundThread.start(stackSize: 1 << 20) {
                for _ in 0..<10_000 { lock.withLock { box.value += 1 } }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(box.value, 80_000)
    }

    private final class Box: @unchecked Sendable {
        var value = 0
    }
}
