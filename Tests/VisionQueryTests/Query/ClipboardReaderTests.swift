import Foundation
import Imaging
import VisionQuery
import XCTest

/// The clipboard programs are stand-ins: shell scripts this test writes into a directory that is the whole PATH.
final class ClipboardReaderTests: XCTestCase {
    var directory: URL!
    static let png = try! ImageEncoder.encodePNG(pixels: [UInt8](repeating: 200, count: 4 * 3 * 3), width: 4, height: 3, channels: 3)
    static let jpeg = try! ImageEncoder.encodeJPEG(pixels: [UInt8](repeating: 90, count: 8 * 8 * 3), width: 8, height: 8, channels: 3)

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-clipboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `data` into the directory; its path.
    func file(_ name: String, _ data: Data) throws -> String {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// A stand-in program: logs its arguments to NAME.log, then runs `body` (sh).
    func program(_ name: String, _ body: String) throws {
        let log = directory.appendingPathComponent("\(name).log").path
        let script = "#!/bin/sh\necho \"$*\" >> '\(log)'\n\(body)\n"
        let path = try file(name, Data(script.utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func calls(_ name: String) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent("\(name).log"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func reader(_ variables: [String: String], maxBytes: Int = 64 << 20) -> ClipboardReader {
        ClipboardReader(environment: variables.merging(["PATH": directory.path]) { old, _ in old }, maxBytes: maxBytes)
    }

    func assertFails(
        _ reader: ClipboardReader, _ category: VQError.Category, _ message: String, line: UInt = #line
    ) {
        XCTAssertThrowsError(try reader.read(), line: line) {
            XCTAssertEqual($0 as? VQError, VQError(category, message), line: line)
        }
    }

    func testWaylandReadsThePNGTheClipboardOffers() throws {
        let png = try file("copied.png", Self.png)
        try program(
            "wl-paste",
            """
            case "$1" in
            --list-types) printf 'text/plain\\nimage/jpeg\\nimage/png\\n' ;;
            *) exec /bin/cat '\(png)' ;;
            esac
            """)
        XCTAssertEqual(try reader(["WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"]).read(), Self.png)
        XCTAssertEqual(try calls("wl-paste"), ["--list-types", "--no-newline --type image/png"])
    }

    func testX11ReadsAnotherImageTypeWhenThereIsNoPNG() throws {
        let jpeg = try file("copied.jpg", Self.jpeg)
        try program(
            "xclip",
            """
            case "$4" in
            TARGETS) printf 'TARGETS\\nTIMESTAMP\\nimage/jpeg\\ntext/html\\n' ;;
            *) exec /bin/cat '\(jpeg)' ;;
            esac
            """)
        XCTAssertEqual(try reader(["DISPLAY": ":0"]).read(), Self.jpeg)
        XCTAssertEqual(
            try calls("xclip"), ["-selection clipboard -t TARGETS -o", "-selection clipboard -t image/jpeg -o"])
    }

    func testMacOSDecodesOsascriptsHexData() throws {
        let hex = Self.png.map { String(format: "%02X", $0) }.joined()
        let printed = try file("printed.txt", Data("«data PNGf\(hex)»\n".utf8))
        try program("osascript", "exec /bin/cat '\(printed)'")
        var macOS = reader(["DISPLAY": ":0"])
        macOS.isMacOS = true
        XCTAssertEqual(try macOS.read(), Self.png)
        XCTAssertTrue(try calls("osascript").joined(separator: "\n").contains("the clipboard as «class PNGf»"))
    }

    func testAnEmptyOrTextClipboardIsInputMissing() throws {
        try program("wl-paste", "echo 'Nothing is copied' >&2; exit 1")
        assertFails(reader(["WAYLAND_DISPLAY": "w"]), .inputMissing, "the clipboard is empty (wl-paste: Nothing is copied)")
        try program("xclip", "printf 'TARGETS\\nUTF8_STRING\\ntext/plain;charset=utf-8\\n'")
        assertFails(reader(["DISPLAY": ":1"]), .inputMissing, "the clipboard holds no image (it holds text/plain;charset=utf-8)")
        var macOS = reader([:])
        macOS.isMacOS = true
        try program("osascript", "echo 'execution error: Can’t make the clipboard into type «class TIFF». (-1700)' >&2; exit 1")
        assertFails(
            macOS, .inputMissing,
            "the clipboard holds no image (osascript: execution error: Can’t make the clipboard into type «class TIFF». (-1700))")
    }

    func testAProgramThatSendsTextForAnImageIsRefused() throws {
        try program(
            "wl-paste",
            """
            case "$1" in
            --list-types) echo image/png ;;
            *) echo 'just some words' ;;
            esac
            """)
        assertFails(reader(["WAYLAND_DISPLAY": "w"]), .inputMissing, "the clipboard holds no image (it holds plain text)")
    }

    func testAMissingProgramIsNamedWithItsPackage() {
        assertFails(
            reader(["WAYLAND_DISPLAY": "w"]), .unavailable,
            "cannot read the clipboard: wl-paste is not installed: apt-get install wl-clipboard")
        assertFails(
            reader(["DISPLAY": ":0"]), .unavailable, "cannot read the clipboard: xclip is not installed: apt-get install xclip")
        assertFails(
            reader(["DISPLAY": "", "WAYLAND_DISPLAY": ""]), .unavailable,
            "no clipboard to read: neither WAYLAND_DISPLAY (wl-paste) nor DISPLAY (xclip) is set")
    }

    func testOutputOverTheLimitIsRefusedAndTheProgramStopped() throws {
        let png = try file("copied.png", Self.png)
        try program(
            "wl-paste",
            """
            case "$1" in
            --list-types) echo image/png ;;
            *) exec /bin/cat '\(png)' ;;
            esac
            """)
        assertFails(
            reader(["WAYLAND_DISPLAY": "w"], maxBytes: Self.png.count - 1), .badInput,
            "the clipboard image is over the limit of \(Self.png.count - 1) B")
        XCTAssertEqual(try reader(["WAYLAND_DISPLAY": "w"], maxBytes: Self.png.count).read(), Self.png)
        // A program that never stops writing is stopped once it passes the limit.
        try program(
            "xclip",
            """
            case "$4" in
            TARGETS) echo image/png ;;
            *) while :; do printf '0123456789abcdef0123456789abcdef'; done ;;
            esac
            """)
        assertFails(reader(["DISPLAY": ":0"], maxBytes: 100_000), .badInput, "the clipboard image is over the limit of 98 KB")
    }
}
