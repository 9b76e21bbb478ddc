import FoundationEssentials
import Glibc
import Imaging
import Platform
import TextFormatting
import Transport

/// Turns input arguments (path, `-`, http(s) URL) into validated inputs and their parts, before anything is sent.
public struct InputLoader: Sendable {
    public var urlMode: ImageURLMode
    public var client: HTTPClient
    public var transfer: TransferOptions
    /// Shrinking, rotation and re-encoding applied to every inline image (validation always happens).
    public var preparation = PreparationOptions()
    /// Reads stdin; injectable for tests.
    public var readStandardInput: @Sendable () -> Data = { FileIO.readStandardInput() }
    /// How PDFs are sent (whole or rendered, which pages); the session sets it from the profile and `--pdf`.
    var documents: DocumentPreparer? = nil
    /// Whether YouTube URLs go to the service as they are (Gemini); otherwise one is refused, naming `serviceName`.
    public var readsYouTube = false
    /// "profile 'openai' (openai)", for the refusal of a YouTube URL.
    public var serviceName = "this profile"
    /// How videos are sent (whole or as sampled frames); the session sets it from the profile and the clip options.
    var videos: VideoPreparer? = nil
    /// Reads the clipboard's image (`--clipboard`, `/paste`).
    public var readClipboard: @Sendable () throws(VQError) -> Data = { () throws(VQError) in try ClipboardReader().read() }

    /// Told after each input is prepared and each PDF page rendered (an MCP call's progress).
    public var onProgress: (@Sendable (PreparationProgress) -> Void)?

    /// The argument that stands for the clipboard among the inputs of a run (`--clipboard`, `/paste`).
    public static let clipboardArgument = "clipboard:"

    public init(urlMode: ImageURLMode, client: HTTPClient, transfer: TransferOptions) {
        self.urlMode = urlMode
        self.client = client
        // Image URLs are fetched from their own hosts: not through the service's Unix socket, without its client certificate.
        var downloads = transfer
        downloads.unixSocket = nil
        downloads.tls.clientCertificate = nil
        downloads.tls.clientKey = nil
        self.transfer = downloads
    }

    public static func isURL(_ argument: String) -> Bool {
        let lower = argument.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// Whether a URL's path ends in `.pdf` (its bytes still decide what it is once downloaded).
    static func namesPDF(_ url: String) -> Bool {
        (URLComponents(string: url)?.path ?? url).lowercased().hasSuffix(".pdf")
    }

    /// Whether a URL's path ends in a video file's extension (downloaded then, as services fetch image URLs only; its
    /// bytes still decide what it is).
    static func namesVideo(_ url: String) -> Bool {
        let path = (URLComponents(string: url)?.path ?? url).lowercased()
        return ["mp4", "m4v", "mov", "webm", "mkv", "avi"].contains(PathText.fileExtension(path))
    }

    /// Whether `path` is a regular file whose first bytes are an image, PDF or video signature (HEIC and other kinds
    /// vq refuses with a hint included); nil when it cannot be opened.
    public static func sniffFile(_ path: String) -> Bool? {
        sniffedKind(path).map { $0.isPicture || $0.documentFormat != nil || $0.videoFormat != nil }
    }

    /// What the first bytes of the regular file at `path` are; `.empty` for a directory or an empty file, nil when it
    /// cannot be opened.
    public static func sniffedKind(_ path: String) -> SniffedKind? {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory else { return .empty }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 64)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 64) }
        guard count > 0 else { return .empty }
        return ImageSniffer.sniff(Data(head[0..<count]))
    }

    /// Every argument in order; `-` at most once.
    public func load(_ arguments: [String]) throws(VQError) -> [Input] {
        if arguments.filter({ $0 == "-" }).count > 1 {
            throw VQError(.usage, "'-' (image from stdin) may be given only once")
        }
        if !readsYouTube, let video = arguments.first(where: YouTubeURL.matches) { throw youTubeRefusal(video) }
        var inputs: [Input] = []
        for (index, argument) in arguments.enumerated() {
            let name = PathText.lastComponent(argument)
            let pageRendered = onProgress.map { report in
                { @Sendable (page: Int, pages: Int) in
                    report(
                        PreparationProgress(
                            done: Double(index) + Double(page) / Double(pages), total: arguments.count, message: "\(name): page \(page) of \(pages) rendered"))
                }
            }
            inputs.append(try load(argument, pageRendered: pageRendered))
            onProgress?(PreparationProgress(done: Double(index + 1), total: arguments.count, message: "\(name) prepared"))
        }
        return inputs
    }

    /// One argument as a medium with its parts.
    public func load(_ argument: String) throws(VQError) -> Input {
        try load(argument, pageRendered: nil)
    }

    /// The same; `pageRendered` is told (page, of pages) as a PDF's pages are rendered.
    private func load(_ argument: String, pageRendered: (@Sendable (Int, Int) -> Void)?) throws(VQError) -> Input {
        if argument == "-" {
            return try validated(readStandardInput(), source: "-", label: "stdin", pageRendered: pageRendered)
        }
        if argument == Self.clipboardArgument {
            return try validated(try readClipboard(), source: "clipboard", label: "the clipboard", pageRendered: pageRendered)
        }
        if YouTubeURL.matches(argument) {
            guard readsYouTube else { throw youTubeRefusal(argument) }
            return Input(InputPart(source: argument, content: .remoteURL(argument)))
        }
        if Self.isURL(argument) {
            // A PDF's URL is read by vq (and sent by the document policy): services fetch image URLs only.
            guard urlMode == .inline || Self.namesPDF(argument) || Self.namesVideo(argument) else {
                return Input(InputPart(source: argument, content: .remoteURL(argument)))
            }
            return try validated(try download(argument), source: argument, label: argument, pageRendered: pageRendered)
        }
        if argument.contains("://") {
            throw VQError(.usage, "\(argument): only http:// and https:// image URLs are supported")
        }
        // A video is read by FFmpeg from its file (it may be gigabytes), never into memory.
        if let videos, let format = Self.sniffedKind(argument)?.videoFormat {
            return try videos.prepare(path: argument, format: format, source: argument, label: argument)
        }
        return try validated(try readFile(argument), source: argument, label: argument, pageRendered: pageRendered)
    }

    /// A YouTube video given to a service that cannot watch it: exit 65 before anything is sent.
    private func youTubeRefusal(_ url: String) -> VQError {
        VQError(
            .badInput,
            "\(url): a YouTube video; only Gemini (api = \"gemini\") reads YouTube URLs, and \(serviceName) cannot: use -p gemini, or download the video and give the file"
        )
    }

    private func readFile(_ path: String) throws(VQError) -> Data {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VQError(.inputMissing, "\(path): no such file")
        }
        if isDirectory {
            throw VQError(.inputMissing, "\(path): is a directory, not an image; to ask about every image in it, use: vq batch PROMPT \(path)")
        }
        do throws(SystemError) {
            return try FileIO.contents(ofPath: path)
        } catch {
            throw VQError(.inputMissing, "\(path): cannot read: \(error)")
        }
    }

    private func download(_ url: String) throws(VQError) -> Data {
        let request = HTTPRequest(method: "GET", url: url, headers: [(name: "Accept", value: "image/*, application/pdf, video/*")])
        let head: HTTPResponseHead
        let body: Data
        do {
            (head, body) = try client.fetch(request, options: transfer, maxBytes: 64 << 20)
        } catch {
            throw VQError(.unavailable, "\(url): download failed: \(error)")
        }
        guard (200..<300).contains(head.status) else {
            throw VQError(head.status == 404 ? .inputMissing : .unavailable, "\(url): download failed: HTTP \(head.status)")
        }
        return body
    }

    /// The parts of the bytes of one argument: a PDF by the document policy, anything else as an image.
    private func validated(_ data: Data, source: String, label: String, pageRendered: (@Sendable (Int, Int) -> Void)?) throws(VQError) -> Input {
        let kind = ImageSniffer.sniff(data)
        if let documents, kind.documentFormat == .pdf {
            return try documents.prepare(data, source: source, label: label, pageRendered: pageRendered)
        }
        if let videos, let format = kind.videoFormat {
            // FFmpeg reads files: stdin's or a download's bytes go to a temporary one first.
            let file = try TemporaryVideoFile.write(data, format: format, label: label)
            defer { if !videos.policy.sendsWhole { file.remove() } }
            return try videos.prepare(path: file.path, format: format, source: source, label: label)
        }
        do {
            let prepared = try ImagePreparer.prepare(data, options: preparation)
            let info = ImageInfo(format: prepared.format, width: prepared.width, height: prepared.height)
            return Input(InputPart(source: source, content: .image(data: prepared.data, info: info), preparation: prepared))
        } catch {
            throw VQError(.badInput, "\(label): \(refusal(error, kind: kind))")
        }
    }

    /// Why the bytes cannot be sent; for bytes of no known kind it names everything this run would take.
    private func refusal(_ error: ImageError, kind: SniffedKind) -> String {
        guard error.kind == .notAnImage, kind.videoFormat == nil else { return error.message }
        switch (documents != nil, videos != nil) {
        case (true, true): return "not an image, PDF or video (\(kind))"
        case (true, false): return "not an image or PDF (\(kind))"
        case (false, true): return "not an image or video (\(kind))"
        case (false, false): return error.message
        }
    }
}
