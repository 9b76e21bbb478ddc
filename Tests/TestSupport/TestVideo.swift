import Foundation

/// Test videos made with the ffmpeg CLI (installed by `make deps`) in a directory the test owns: a black frame with
/// a red 40x40 square that moves right by `speed` pixels a second (x = speed * t, y = 100), so the square's place in
/// a sent frame says which moment it shows, and which way up it is.
public enum TestVideo {
    /// The containers and codecs the tests make.
    public enum Kind: Sendable {
        /// H.264 in MP4 (`-movflags +faststart` puts the index first, so a truncated copy still opens).
        case h264MP4(faststart: Bool)
        /// VP9 in WebM.
        case vp9WebM
        /// H.264 in a QuickTime MOV whose track header carries the display matrix a phone writes for a portrait video
        /// (turn 90 degrees clockwise to show it upright).
        case rotatedMOV
    }

    public static let width = 320
    public static let height = 240
    public static let squareY = 100
    public static let squareSide = 40
    /// Pixels a second the square moves right: it is at x = speed * t.
    public static let speed = 28.0

    /// Writes a `seconds`-long video of `kind` at `url` (`fps` frames a second, a keyframe every `keyframeInterval`).
    public static func make(_ kind: Kind, at url: URL, seconds: Double = 10, fps: Int = 10, keyframeInterval: Int = 30) throws {
        let sources = [
            "-f", "lavfi", "-i", "color=c=black:s=\(width)x\(height):r=\(fps):d=\(seconds)",
            "-f", "lavfi", "-i", "color=c=red:s=\(squareSide)x\(squareSide):r=\(fps):d=\(seconds)",
            "-filter_complex", "[0][1]overlay=x='t*\(speed)':y=\(squareY):shortest=1,format=yuv420p",
        ]
        switch kind {
        case .h264MP4(let faststart):
            try ffmpeg(sources + ["-c:v", "libx264", "-g", "\(keyframeInterval)"] + (faststart ? ["-movflags", "+faststart"] : []) + [url.path])
        case .vp9WebM:
            try ffmpeg(sources + ["-c:v", "libvpx-vp9", "-b:v", "300k", "-g", "\(keyframeInterval)", url.path])
        case .rotatedMOV:
            let plain = url.deletingLastPathComponent().appendingPathComponent("unrotated-\(UUID().uuidString).mp4")
            defer { try? FileManager.default.removeItem(at: plain) }
            try ffmpeg(sources + ["-c:v", "libx264", "-g", "\(keyframeInterval)", "-f", "mov", plain.path])
            // The matrix is written into the track header by hand, as a phone does, rather than through a muxer option
            // whose sign convention changed between FFmpeg versions.
            try withPortraitMatrix(try Data(contentsOf: plain)).write(to: url)
        }
    }

    /// One second of a sine tone in an MP4 (M4A) container: ISO media without a video stream.
    public static func makeAudioOnly(at url: URL) throws {
        try ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", "-f", "mp4", url.path])
    }

    /// The x of the square's left edge in a decoded upright frame of `width` columns (RGB, rows top to bottom) along
    /// the row `y`: where the red run starts; nil when the row has no red.
    public static func redStart(in pixels: [UInt8], width: Int, channels: Int = 3, row y: Int) -> Int? {
        (0..<width).first { x in
            let at = (y * width + x) * channels
            return pixels[at] > 160 && pixels[at + 1] < 90 && pixels[at + 2] < 90
        }
    }

    /// Where the red square is in an upright frame: the first red pixel's x and y, scanning rows top to bottom.
    public static func redCorner(in pixels: [UInt8], width: Int, height: Int, channels: Int = 3) -> (x: Int, y: Int)? {
        for y in 0..<height {
            if let x = redStart(in: pixels, width: width, channels: channels, row: y) { return (x, y) }
        }
        return nil
    }

    /// `mov` with the identity matrix of its (only) track header replaced by a phone's portrait one:
    /// [0 1 0; -1 0 0; height 0 1] in 16.16 (2.30 for the last column) fixed point, which players show turned 90
    /// degrees clockwise.
    static func withPortraitMatrix(_ mov: Data) throws -> Data {
        func words(_ values: [UInt32]) -> Data { Data(values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }) }
        let identity = words([0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000])
        let portrait = words([0, 0x0001_0000, 0, 0xFFFF_0000, 0, 0, UInt32(height) << 16, 0, 0x4000_0000])
        guard let header = mov.range(of: Data("tkhd".utf8)), let matrix = mov.range(of: identity, in: header.upperBound..<mov.endIndex) else {
            throw TestPDFToolError(message: "no track header matrix in the MOV ffmpeg wrote")
        }
        var patched = mov
        patched.replaceSubrange(matrix, with: portrait)
        return patched
    }

    private static func ffmpeg(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPDFToolError(message: "ffmpeg failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
    }
}
