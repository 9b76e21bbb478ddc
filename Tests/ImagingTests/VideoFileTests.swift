import Foundation
import Imaging
import TestSupport
import XCTest

/// Videos made by the ffmpeg CLI, probed and sampled through FFmpeg's libraries: which frame comes out (the moving
/// square's place), upright for a rotated MOV, at the size the options want, and clear errors for bad files.
final class VideoFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func video(_ kind: TestVideo.Kind, _ name: String, seconds: Double = 10) throws -> String {
        let url = directory.appendingPathComponent(name)
        try TestVideo.make(kind, at: url, seconds: seconds)
        return url.path
    }

    private func format(_ path: String) throws -> VideoFormat {
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 64) ?? Data()
        return try XCTUnwrap(ImageSniffer.sniff(head).videoFormat, "\(path) not sniffed as a video")
    }

    /// The square's left edge in the decoded JPEG, in the JPEG's pixels.
    private func squareX(_ image: PreparedImage) throws -> Int? {
        let decoded = try ImageDecoder.decodeRGB(image.data)
        let y = TestVideo.squareY * decoded.height / TestVideo.height + 5
        return TestVideo.redStart(in: decoded.pixels, width: decoded.width, channels: decoded.channels, row: y)
    }

    func testTheH264FrameAtATimeShowsThatMoment() throws {
        let path = try video(.h264MP4(faststart: false), "clip.mp4")
        XCTAssertEqual(try format(path), .mp4)
        let file = try VideoFile(path: path, format: .mp4)
        XCTAssertEqual(file.info.codec, "h264")
        XCTAssertEqual(file.info.width, 320)
        XCTAssertEqual(file.info.height, 240)
        XCTAssertEqual(file.info.rotation, 0)
        XCTAssertEqual(file.info.duration, 10, accuracy: 0.15)
        XCTAssertEqual(file.info.mimeType, "video/mp4")
        // Out of order on purpose: backwards needs a seek, forwards within a group of pictures goes on decoding.
        for seconds in [5.0, 2.0, 2.5, 9.0, 0.0, 7.3] {
            let (image, time) = try file.frame(at: seconds, options: PreparationOptions())
            XCTAssertEqual(image.format, .jpeg)
            XCTAssertEqual(time, seconds, accuracy: 0.051, "the frame shown at \(seconds)")
            let x = try XCTUnwrap(try squareX(image), "no square at \(seconds)")
            XCTAssertEqual(Double(x), TestVideo.speed * time, accuracy: 3, "frame at \(seconds)")
        }
    }

    func testFramesAreScaledStraightToTheSizeTheOptionsAllow() throws {
        let file = try VideoFile(path: try video(.h264MP4(faststart: false), "clip.mp4", seconds: 3), format: .mp4)
        let (image, _) = try file.frame(at: 2, options: PreparationOptions(maxSide: 160))
        XCTAssertEqual([image.width, image.height], [160, 120])
        let x = try XCTUnwrap(try squareX(image))
        XCTAssertEqual(Double(x), TestVideo.speed * 2 / 2, accuracy: 2)
    }

    func testVP9InWebM() throws {
        let path = try video(.vp9WebM, "clip.webm", seconds: 4)
        XCTAssertEqual(try format(path), .webm)
        let file = try VideoFile(path: path, format: .webm)
        XCTAssertEqual(file.info.codec, "vp9")
        XCTAssertEqual(file.info.mimeType, "video/webm")
        let (image, time) = try file.frame(at: 3, options: PreparationOptions())
        XCTAssertEqual(time, 3, accuracy: 0.051)
        XCTAssertEqual(Double(try XCTUnwrap(try squareX(image))), TestVideo.speed * 3, accuracy: 3)
    }

    func testARotatedPhoneVideoComesOutUpright() throws {
        let path = try video(.rotatedMOV, "phone.mov", seconds: 3)
        XCTAssertEqual(try format(path), .quicktime)
        let file = try VideoFile(path: path, format: .quicktime)
        XCTAssertEqual(file.info.rotation, 90)
        XCTAssertEqual([file.info.width, file.info.height], [240, 320], "displayed size: portrait")
        let (image, _) = try file.frame(at: 0, options: PreparationOptions())
        XCTAssertEqual([image.width, image.height], [240, 320])
        let decoded = try ImageDecoder.decodeRGB(image.data)
        // Stored, the square starts at the left edge, rows 100-139; turned 90 degrees clockwise that edge is the top,
        // and the rows become columns 240-140 = 100 to 139.
        let corner = try XCTUnwrap(TestVideo.redCorner(in: decoded.pixels, width: decoded.width, height: decoded.height, channels: decoded.channels))
        XCTAssertLessThan(corner.y, 3, "the square is at the top: \(corner)")
        XCTAssertEqual(Double(corner.x), 100, accuracy: 3, "\(corner)")
    }

    func testBadFilesAreRefusedWithTheReason() throws {
        let whole = try video(.h264MP4(faststart: false), "whole.mp4", seconds: 3)
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        // Without faststart the index (moov) is at the end: cut, the file cannot be opened.
        let cut = directory.appendingPathComponent("cut.mp4")
        try data.prefix(data.count / 2).write(to: cut)
        XCTAssertThrowsError(try VideoFile(path: cut.path, format: .mp4)) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .corrupt)
            XCTAssertTrue("\(error)".contains("damaged or truncated MP4 video"), "\(error)")
        }
        // With the index first, a cut file opens but its frames stop early.
        let fast = try video(.h264MP4(faststart: true), "fast.mp4", seconds: 10)
        let fastData = try Data(contentsOf: URL(fileURLWithPath: fast))
        let cutFast = directory.appendingPathComponent("cutfast.mp4")
        try fastData.prefix(fastData.count / 3).write(to: cutFast)
        let opened = try VideoFile(path: cutFast.path, format: .mp4)
        XCTAssertThrowsError(try opened.frame(at: 9.5, options: PreparationOptions())) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .corrupt)
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        let audio = directory.appendingPathComponent("tone.m4a")
        try TestVideo.makeAudioOnly(at: audio)
        XCTAssertThrowsError(try VideoFile(path: audio.path, format: try format(audio.path))) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .notAnImage)
            XCTAssertTrue("\(error)".contains("no video stream"), "\(error)")
        }
        let garbage = directory.appendingPathComponent("garbage.mp4")
        try (Data([0, 0, 0, 0x18]) + Data("ftypisom".utf8) + Data(repeating: 0x55, count: 4000)).write(to: garbage)
        XCTAssertThrowsError(try VideoFile(path: garbage.path, format: .mp4)) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .corrupt, "\(error)")
        }
    }

    func testContainersAreSniffedByTheirBytes() {
        XCTAssertEqual(ImageSniffer.sniff(Data([0, 0, 0, 0x14]) + Data("ftypqt  ".utf8) + Data(count: 8)).videoFormat, .quicktime)
        XCTAssertEqual(ImageSniffer.sniff(Data([0, 0, 0, 0x20]) + Data("ftypisom".utf8) + Data(count: 8)).videoFormat, .mp4)
        XCTAssertEqual(ImageSniffer.sniff(Data([0, 0, 0, 8]) + Data("moov".utf8) + Data(count: 8)).videoFormat, .quicktime)
        let ebml = Data([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84])
        XCTAssertEqual(ImageSniffer.sniff(ebml + Data("webm".utf8)).videoFormat, .webm)
        XCTAssertEqual(ImageSniffer.sniff(ebml + Data("matroska".utf8)).videoFormat, .matroska)
        XCTAssertEqual(ImageSniffer.sniff(Data("RIFF".utf8) + Data(count: 4) + Data("AVI LIST".utf8)).videoFormat, .avi)
        XCTAssertEqual(ImageSniffer.sniff(Data("RIFF".utf8) + Data(count: 4) + Data("WEBPVP8 ".utf8) + Data(count: 20)).videoFormat, nil)
        XCTAssertEqual(ImageSniffer.sniff(Data([0, 0, 0, 0x18]) + Data("ftypheic".utf8) + Data(count: 8)), .image(.heic))
    }
}
