import TestSupport
import XCTest

/// Images, runs and JSON Lines for the `vq batch` tests.
extension EndToEndCase {
    /// `count` PNGs named img-NN.png in `subdirectory`, each a different width so answers can be told apart.
    @discardableResult
    func images(_ count: Int, in subdirectory: String = "photos") throws -> [String: String] {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(subdirectory), withIntermediateDirectories: true)
        var expected: [String: String] = [:]
        for index in 0..<count {
            let name = "\(subdirectory)/img-\(String(format: "%02d", index)).png"
            _ = try png(name, width: 5 + index, height: 4)
            expected[name] = "Saw png \(5 + index)x4"
        }
        return expected
    }

    /// `count` PNGs of distinct sizes in photos/, and the answer each must get from the provider batch stubs.
    @discardableResult
    func photos(_ count: Int) throws -> [String: String] {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("photos"), withIntermediateDirectories: true)
        var expected: [String: String] = [:]
        for index in 0..<count {
            let name = "photos/img-\(index).png"
            _ = try png(name, width: 5 + index, height: 4)
            expected[name] = "Saw 1 image(s): png \(5 + index)x4."
        }
        return expected
    }

    func batch(_ arguments: [String], server: BatchStubServer, env: [String: String] = [:], stdin: Data? = nil) throws -> VQProcess.Result {
        let result = try vq(["batch"] + arguments, baseURL: server.baseURL, env: env, stdin: stdin)
        assertKeyNeverShown(result)
        return result
    }

    /// Each JSON line as an object.
    func records(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { piece in
            let object = try? JSONSerialization.jsonObject(with: Data(piece.utf8)) as? [String: Any]
            XCTAssertNotNil(object, "not a JSON object: \(piece)", file: file, line: line)
            return object
        }
    }

    func readOut(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Starts `vq batch` against `server` without waiting (output discarded), for tests that signal it or race it.
    func startBatch(_ arguments: [String], server: BatchStubServer) throws -> Process {
        let config = try writeConfig(baseURL: server.baseURL)
        return try VQProcess.start(["batch"] + arguments, environment: ["VQ_CONFIG": config, "STUB_KEY": Self.key], directory: directory)
    }

    /// Asserts that `lines` answer every image of `expected` (image path → answer) exactly once and nothing else,
    /// matching lines to images by their `key` (the file name for images found in a directory).
    func assertExactlyOnce(_ lines: [[String: Any]], _ expected: [String: String], file: StaticString = #filePath, line: UInt = #line) {
        var answers: [String: String] = [:]
        for record in lines {
            let key = record["key"] as? String ?? "(no key)"
            XCTAssertTrue(record["error"] is NSNull, "\(record)", file: file, line: line)
            XCTAssertNil(answers.updateValue(record["output"] as? String ?? "", forKey: key), "\(key) answered twice", file: file, line: line)
        }
        let byKey = Dictionary(uniqueKeysWithValues: expected.map { (($0.key as NSString).lastPathComponent, $0.value) })
        XCTAssertEqual(answers, byKey, file: file, line: line)
    }
}
