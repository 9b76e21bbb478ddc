import Dispatch
import FoundationEssentials
import Imaging
import Platform
import TextFormatting

/// Reads an image from the system clipboard through the platform's clipboard program: `osascript` on macOS
/// (`pbpaste` has no images), `wl-paste` on Wayland (WAYLAND_DISPLAY), `xclip` on X11 (DISPLAY).
public struct ClipboardReader: Sendable {
    /// A clipboard program and the Debian package that installs it.
    struct Tool: Equatable, Sendable {
        let name: String
        let package: String
    }

    static let wlPaste = Tool(name: "wl-paste", package: "wl-clipboard")
    static let xclip = Tool(name: "xclip", package: "xclip")
    static let osascript = Tool(name: "osascript", package: "macOS itself")

    /// The image types asked for, best first, when the clipboard offers several (vq reads each of them).
    static let preferredTypes = ["image/png", "image/jpeg", "image/webp", "image/gif", "image/tiff", "image/heic", "image/avif"]

    /// AppleScript that prints the clipboard's picture as «data PNGf…» (or TIFF, as some macOS apps copy it) in hex.
    static let macOSScript = """
        try
            the clipboard as «class PNGf»
        on error
            the clipboard as «class TIFF»
        end try
        """

    /// Variables that say which clipboard there is (WAYLAND_DISPLAY, DISPLAY) and PATH, where the programs are found.
    public var environment: [String: String]
    /// Most bytes read from the clipboard; more is refused (the limit for downloaded images).
    public var maxBytes: Int
    /// Whether this is macOS (osascript); injectable for tests.
    public var isMacOS: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, maxBytes: Int = 64 << 20) {
        self.environment = environment
        self.maxBytes = maxBytes
        #if os(macOS)
            isMacOS = true
        #else
            isMacOS = false
        #endif
    }

    /// The clipboard's image bytes (PNG mostly; whatever image type the clipboard offers), not yet validated.
    /// Throws `.inputMissing` (66) when the clipboard is empty or holds no image, `.unavailable` (69) when the
    /// clipboard program is not installed or there is no clipboard, `.badInput` (65) when the image is over `maxBytes`.
    public func read() throws(VQError) -> Data {
        if isMacOS { return try readMacOS() }
        if let display = environment["WAYLAND_DISPLAY"], !display.isEmpty {
            return try readOffered(
                Self.wlPaste, listing: ["--list-types"], reading: { ["--no-newline", "--type", $0] })
        }
        if let display = environment["DISPLAY"], !display.isEmpty {
            return try readOffered(
                Self.xclip, listing: ["-selection", "clipboard", "-t", "TARGETS", "-o"],
                reading: { ["-selection", "clipboard", "-t", $0, "-o"] })
        }
        throw VQError(
            .unavailable, "no clipboard to read: neither WAYLAND_DISPLAY (wl-paste) nor DISPLAY (xclip) is set")
    }

    /// Wayland and X11: list the clipboard's types, then read the best image type it offers.
    private func readOffered(_ tool: Tool, listing: [String], reading: (String) -> [String]) throws(VQError) -> Data {
        let listed = try run(tool, listing)
        let types = String(decoding: listed.output, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard listed.status == 0, !types.isEmpty else {
            throw VQError(.inputMissing, "the clipboard is empty\(Self.said(tool, listed.errors))")
        }
        let images = types.filter { $0.hasPrefix("image/") }
        guard let type = Self.preferredTypes.first(where: images.contains) ?? images.first else {
            let offered = types.filter { $0.contains("/") }.prefix(4).joined(separator: ", ")
            throw VQError(.inputMissing, "the clipboard holds no image\(offered.isEmpty ? "" : " (it holds \(offered))")")
        }
        let read = try run(tool, reading(type))
        guard read.status == 0, !read.output.isEmpty else {
            throw VQError(.inputMissing, "the clipboard holds no image\(Self.said(tool, read.errors))")
        }
        return try checkedImage(read.output)
    }

    /// macOS: osascript prints the picture as «data PNGf89504E47…», hex digits between the class and the »
    private func readMacOS() throws(VQError) -> Data {
        // Hex doubles the size, plus the «data XXXX» wrapper.
        let result = try run(Self.osascript, ["-e", Self.macOSScript], limit: maxBytes * 2 + 64)
        let text = String(decoding: result.output, as: UTF8.self).trimmingWhitespaceAndNewlines()
        guard result.status == 0, text.hasPrefix("«data "), text.hasSuffix("»"), text.count > 12 else {
            throw VQError(.inputMissing, "the clipboard holds no image\(Self.said(Self.osascript, result.errors))")
        }
        let hex = text.dropFirst("«data ".count + 4).dropLast()
        guard let data = Self.bytes(fromHex: hex) else {
            throw VQError(.inputMissing, "the clipboard holds no image (osascript printed something other than hex data)")
        }
        return try checkedImage(data)
    }

    /// Refuses what is not a picture (a program that ignored the asked type); formats vq cannot send are left to
    /// the image validator's messages.
    private func checkedImage(_ data: Data) throws(VQError) -> Data {
        let kind = ImageSniffer.sniff(data)
        guard kind.isPicture else { throw VQError(.inputMissing, "the clipboard holds no image (it holds \(kind))") }
        return data
    }

    /// " (wl-paste: No selection)" from the program's first line of stderr, or "".
    private static func said(_ tool: Tool, _ errors: String) -> String {
        let line = errors.split(whereSeparator: \.isNewline).first.map { $0.trimmingWhitespace() } ?? ""
        return line.isEmpty ? "" : " (\(tool.name): \(line.prefix(200)))"
    }

    private static func bytes(fromHex hex: Substring) -> Data? {
        guard hex.utf8.count % 2 == 0 else { return nil }
        var data = Data(capacity: hex.utf8.count / 2)
        var high: UInt8? = nil
        for character in hex.utf8 {
            guard let nibble = UInt8(String(UnicodeScalar(character)), radix: 16) else { return nil }
            if let first = high {
                data.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return data
    }

    /// A program's exit status, its stdout (at most `limit` bytes, else refused) and the start of its stderr.
    private func run(_ tool: Tool, _ arguments: [String], limit: Int? = nil) throws(VQError) -> (status: Int32, output: Data, errors: String) {
        guard let executable = Self.find(tool.name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            let install = tool == Self.osascript ? "" : ": apt-get install \(tool.package)"
            throw VQError(.unavailable, "cannot read the clipboard: \(tool.name) is not installed\(install)")
        }
        let limit = limit ?? maxBytes
        let process: Subprocess
        do throws(SystemError) {
            process = try Subprocess(executable: executable, arguments: arguments, environment: environment, captureStandardError: true)
        } catch {
            throw VQError(.unavailable, "cannot read the clipboard: \(tool.name) could not start: \(error)")
        }
        let errorText = BoundedReader(process.standardError, limit: 4096)
        errorText.start()
        var data = Data()
        var overLimit = false
        while let chunk = try? FileIO.read(process.standardOutput, upTo: 1 << 16), !chunk.isEmpty {
            guard data.count + chunk.count <= limit else {
                overLimit = true
                process.terminate()
                break
            }
            data += chunk
        }
        process.closeStandardOutput()
        let termination = process.wait()
        let stderrText = errorText.finish()
        if overLimit {
            throw VQError(.badInput, "the clipboard image is over the limit of \(ByteCountText.format(maxBytes))")
        }
        let status: Int32 = if case .signalled(let signal) = termination { 128 + signal } else { termination.status }
        return (status, data, stderrText)
    }

    /// The first executable `name` in the colon-separated `path`.
    private static func find(_ name: String, path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Drains a pipe on its own thread (so a program that writes much there never blocks), keeping its first
/// `limit` bytes as text.
private final class BoundedReader: @unchecked Sendable {
    private let descriptor: Int32
    private let limit: Int
    /// Written only by the draining thread until `done` is signalled, read only after.
    private var kept = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ descriptor: Int32, limit: Int) {
        self.descriptor = descriptor
        self.limit = limit
    }

    func start() {
        DispatchQueue.global().async {
            while let chunk = try? FileIO.read(self.descriptor, upTo: 4096), !chunk.isEmpty {
                if self.kept.count < self.limit { self.kept += chunk.prefix(self.limit - self.kept.count) }
            }
            self.done.signal()
        }
    }

    /// Waits for the end of the stream; what was kept.
    func finish() -> String {
        done.wait()
        return String(decoding: kept, as: UTF8.self)
    }
}
