import TestSupport
import XCTest

/// Libraries only some inputs need (libtiff, libwebp, giflib, libheif, SQLite, poppler, FFmpeg's) are loaded on first use: a
/// run that needs none of them does not load them (the dynamic loader's own log, LD_DEBUG=files, says which files it
/// opens), and a run that needs one still works. libcurl too: only a run that sends a request loads it.
final class LazyLibrariesEndToEndTests: EndToEndCase {
    static let lazy = ["libtiff", "libwebp", "libgif", "libheif", "libsqlite3", "libpoppler", "libavformat", "libavcodec", "libavutil", "libswscale"]

    /// The shared objects the loader opened during a run, from its LD_DEBUG=files lines on stderr.
    func loaded(_ result: VQProcess.Result) -> [String] {
        result.stderr.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "file=") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != " " && $0 != ";" })
        }
    }

    func testRunsThatSendNothingLoadNeitherLibcurlNorTheOthers() throws {
        let server = try OpenAIStubServer()
        try jpeg("photo.jpg")
        let runs = [["--version"], ["--help"], ["config", "check"], ["profiles"], ["templates"], ["prices"], ["--dry-run", "Describe", "photo.jpg"]]
        for arguments in runs {
            let result = try vq(arguments, server: server, env: ["LD_DEBUG": "files"])
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            let files = loaded(result)
            XCTAssertTrue(files.contains { $0.hasPrefix("libc.so") }, "LD_DEBUG=files listed no libc: \(files)")
            for library in ["libcurl"] + Self.lazy {
                XCTAssertFalse(files.contains { $0.hasPrefix(library) }, "\(arguments) loaded \(library): \(files)")
            }
        }
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testAnUnloggedJPEGQueryLoadsLibcurlOnFirstUseAndNoneOfTheOthers() throws {
        let server = try OpenAIStubServer()
        try jpeg("photo.jpg")
        let result = try vq(["--no-log", "Describe", "photo.jpg"], server: server, env: ["LD_DEBUG": "files"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let files = loaded(result)
        XCTAssertTrue(files.contains { $0.hasPrefix("libcurl") }, "LD_DEBUG=files listed no libcurl: \(files)")
        for library in Self.lazy {
            XCTAssertFalse(files.contains { $0.hasPrefix(library) }, "the query loaded \(library): \(files)")
        }
        XCTAssertEqual(server.requests.count, 1)
    }

    /// A libcurl that cannot be loaded (here a broken file found first on LD_LIBRARY_PATH) is a configuration error
    /// naming the package, before anything is sent.
    func testALibcurlThatCannotBeLoadedIsAConfigurationErrorNamingThePackage() throws {
        let server = try OpenAIStubServer()
        try jpeg("photo.jpg")
        let libraries = directory.appendingPathComponent("libraries")
        try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
        try Data("not a shared object\n".utf8).write(to: libraries.appendingPathComponent("libcurl.so.4"))
        let result = try vq(["--no-log", "Describe", "photo.jpg"], server: server, env: ["LD_LIBRARY_PATH": libraries.path])
        XCTAssertEqual(result.status, 78, result.stderr)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("vq: error: cannot send requests: libcurl "), result.stderr)
        XCTAssertTrue(result.stderr.contains("(apt-get install libcurl4)"), result.stderr)
        XCTAssertTrue(result.stderr.contains(libraries.path + "/libcurl.so.4"), result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testALoggedQueryLoadsSQLiteOnFirstUse() throws {
        let server = try OpenAIStubServer()
        try jpeg("photo.jpg")
        let log = directory.appendingPathComponent("logs.db").path
        let result = try vq(["Describe", "photo.jpg"], server: server, env: ["LD_DEBUG": "files", "VQ_LOG_DB": log])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(loaded(result).contains { $0.hasPrefix("libsqlite3") }, "\(loaded(result))")
        XCTAssertTrue(FileManager.default.fileExists(atPath: log))
    }

    func testAVideoLoadsFFmpegOnFirstUse() throws {
        let server = try OpenAIStubServer()
        try TestVideo.make(.h264MP4(faststart: false), at: directory.appendingPathComponent("clip.mp4"), seconds: 2)
        let result = try vq(["--no-log", "--frames", "1", "Describe", "clip.mp4"], server: server, env: ["LD_DEBUG": "files"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for library in ["libavformat", "libavcodec", "libswscale"] {
            XCTAssertTrue(loaded(result).contains { $0.hasPrefix(library) }, "\(library): \(loaded(result))")
        }
    }
}
