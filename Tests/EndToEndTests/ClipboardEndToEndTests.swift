import Foundation
import TestSupport
import XCTest

/// `--clipboard` and `/paste` through the built binary, with a stand-in `wl-paste` on PATH.
final class ClipboardEndToEndTests: EndToEndCase {
    private var bin: URL { directory.appendingPathComponent("bin") }

    /// A stand-in `wl-paste` offering `types`, printing `file` when asked for an image.
    private func wlPaste(types: String, file: String?) throws {
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let read = file.map { "exec /bin/cat '\(directory.appendingPathComponent($0).path)'" } ?? "exit 1"
        let script = "#!/bin/sh\ncase \"$1\" in\n--list-types) printf '\(types)' ;;\n*) \(read) ;;\nesac\n"
        let path = bin.appendingPathComponent("wl-paste").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    private var clipboardEnvironment: [String: String] { ["WAYLAND_DISPLAY": "wayland-0", "PATH": bin.path + ":/usr/bin:/bin"] }

    func testTheClipboardsImageIsSentWithTheQueryAndInChat() throws {
        _ = try png("copied.png", width: 9, height: 4)
        try wlPaste(types: "text/plain\\nimage/png\\n", file: "copied.png")
        let server = try OpenAIStubServer()
        let query = try vq(["--clipboard", "What is this?"], server: server, env: clipboardEnvironment)
        XCTAssertEqual(query.status, 0, query.stderr)
        XCTAssertEqual(query.stdout, "Saw 1 image(s): png 9x4.\n")

        let chat = try vq(
            ["chat"], server: server, env: clipboardEnvironment.merging(["VQ_LOG_DB": directory.appendingPathComponent("l.db").path]) { $1 },
            stdin: Data("/paste\nAnd this?\n".utf8))
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertEqual(chat.stdout, "Saw 1 image(s): png 9x4.\n")
    }

    func testAClipboardWithoutAnImageIsExit66AndSendsNothing() throws {
        try wlPaste(types: "text/plain\\n", file: nil)
        let server = try OpenAIStubServer()
        let result = try vq(["--clipboard", "What is this?"], server: server, env: clipboardEnvironment)
        XCTAssertEqual(result.status, 66, result.stderr)
        XCTAssertTrue(result.stderr.contains("the clipboard holds no image"), result.stderr)
        XCTAssertEqual(server.requests.count, 0)
    }
}
