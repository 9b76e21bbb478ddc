import Foundation
import TestSupport
import XCTest

/// A scripted MCP client: runs `vq mcp` with pipes, writes JSON-RPC lines to its stdin and collects every line of
/// its stdout, so a test can wait (on a condition, with a deadline) for the message it expects next.
final class MCPClientSession: @unchecked Sendable {
    let process: Process
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var everyLine: [String] = []
    private var consumed = 0
    private var stderrText = ""
    private var ended = false
    private var stderrEnded = false

    init(environment: [String: String], directory: URL) throws {
        process = VQProcess.makeProcess(["mcp"], environment: environment, directory: directory)
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        Thread.detachNewThread { [self] in readLines(output.fileHandleForReading) }
        Thread.detachNewThread { [self] in
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            condition.withLock {
                stderrText = String(decoding: data, as: UTF8.self)
                stderrEnded = true
                condition.broadcast()
            }
        }
    }

    private func readLines(_ handle: FileHandle) {
        var buffer = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                condition.withLock {
                    lines.append(line)
                    everyLine.append(line)
                    condition.broadcast()
                }
            }
        }
        condition.withLock {
            ended = true
            condition.broadcast()
        }
    }

    /// Writes one raw line.
    func sendLine(_ text: String) {
        input.fileHandleForWriting.write(Data((text + "\n").utf8))
    }

    /// Writes one message.
    func send(_ message: [String: Any]) {
        var message = message
        message["jsonrpc"] = "2.0"
        let data = try! JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
        sendLine(String(decoding: data, as: UTF8.self))
    }

    /// The next message not yet read that satisfies `matching` (earlier ones that do not are kept for later).
    func next(timeout: TimeInterval = 60, where matching: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        var index = consumed
        while true {
            while index < lines.count {
                let line = lines[index]
                index += 1
                let object = try XCTUnwrap(
                    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "stdout carried a line that is not a JSON object: \(line)")
                if matching(object) {
                    lines.remove(at: index - 1)
                    return object
                }
            }
            if ended { throw NSError(domain: "mcp", code: 1, userInfo: [NSLocalizedDescriptionKey: "vq mcp closed stdout; unread: \(lines)"]) }
            guard condition.wait(until: deadline) else {
                throw NSError(domain: "mcp", code: 2, userInfo: [NSLocalizedDescriptionKey: "no matching message within \(timeout) s; stdout so far: \(lines)"])
            }
        }
    }

    /// Every message already read and not yet taken that satisfies `matching`, in order, taken now (no waiting:
    /// call it after the answer that follows them).
    func take(where matching: ([String: Any]) -> Bool) -> [[String: Any]] {
        condition.withLock {
            var taken: [[String: Any]] = []
            lines.removeAll { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], matching(object) else { return false }
                taken.append(object)
                return true
            }
            return taken
        }
    }

    /// The answer to request `id`.
    func response(_ id: Any, timeout: TimeInterval = 60) throws -> [String: Any] {
        try next(timeout: timeout) { ($0["id"] as? NSObject)?.isEqual(id) == true && ($0["result"] != nil || $0["error"] != nil) }
    }

    /// Sends a request and waits for its answer.
    func request(_ id: Any, _ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
        send(["id": id, "method": method, "params": params])
        return try response(id)
    }

    /// Every line stdout carried, taken or not.
    var transcript: String { condition.withLock { everyLine.joined(separator: "\n") } }

    /// Every line stdout carried that no `next` has taken yet.
    var unread: [String] { condition.withLock { lines } }

    /// Closes stdin and waits for the server to exit; returns its status and stderr.
    func finish() throws -> (status: Int32, stderr: String) {
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        condition.lock()
        defer { condition.unlock() }
        while !ended || !stderrEnded { condition.wait() }
        return (process.terminationStatus, stderrText)
    }
}
