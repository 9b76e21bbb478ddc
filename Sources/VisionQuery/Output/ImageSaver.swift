import FoundationEssentials
import Glibc
import Imaging
import Platform
import TextFormatting

/// Writes images a model returned: validated first, named `vq-YYYYMMDD-HHMMSS-N.ext` (or the one file the user
/// named), the extension taken from the bytes, never overwriting a file, written atomically.
public final class ImageSaver {
    /// One image on disk.
    public struct SavedImage: Equatable, Sendable {
        /// As shown to the user: relative to the current directory when the user gave a relative directory.
        public let path: String
        public let info: ImageInfo
        public let bytes: Int
        /// Why no provenance was written into the file (content credentials kept, a format without a place for
        /// it); nil when it was written or none was asked for.
        public var provenanceNote: String? = nil
    }

    /// Written into each saved file when set (`vq gen` without `--no-metadata`).
    public var provenance: ImageProvenance?

    public let directory: String
    public let singleFile: String?
    /// The stem of generated names instead of `vq-<stamp>` (a prompt-list item's id: `fox-1.png`).
    public let stem: String?
    private let now: Date
    /// nil: the system's local time.
    private let timeZone: TimeZone?
    /// `yyyyMMdd-HHmmss` of `now`, made when the first generated name needs it.
    private lazy var stamp: String = {
        var seconds = time_t(now.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        if let timeZone {
            seconds += time_t(timeZone.secondsFromGMT(for: now))
            gmtime_r(&seconds, &parts)
        } else {
            localtime_r(&seconds, &parts)
        }
        let date = [(parts.tm_year + 1900, 4), (parts.tm_mon + 1, 2), (parts.tm_mday, 2)].map { DecimalText.zeroPadded($0, width: $1) }
        let time = [parts.tm_hour, parts.tm_min, parts.tm_sec].map { DecimalText.zeroPadded($0, width: 2) }
        return date.joined() + "-" + time.joined()
    }()
    private var nextNumber = 1
    private var savedCount = 0
    /// At most this many images are written (`max_saved_images`): a hostile answer cannot fill the disk.
    public let maxImages: Int
    /// Images refused because `maxImages` were already saved from this answer.
    public private(set) var skippedCount = 0
    /// Images saved from the current answer (`startAnswer` begins the next one).
    private var savedInAnswer = 0

    /// `directory` receives generated names; `singleFile` (from `--output`) names the first image exactly.
    /// `now` and `timeZone` make names reproducible in tests.
    public init(
        directory: String = ".", singleFile: String? = nil, maxImages: Int = AnswerLimits.defaultMaxSavedImages, now: Date = Date(),
        timeZone: TimeZone? = nil, stem: String? = nil
    ) {
        self.directory = directory.isEmpty ? "." : directory
        self.singleFile = singleFile
        self.stem = stem
        self.maxImages = maxImages
        self.now = now
        self.timeZone = timeZone
    }

    /// Fails before anything is sent when saving could not work: `--output` names an existing file, or the
    /// directory is a file.
    public func checkBeforeSending() throws(VQError) {
        if let singleFile {
            var link = stat()
            if lstat(singleFile, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK && !FileManager.default.fileExists(atPath: singleFile) {
                throw VQError(
                    .cannotCreate, "\(singleFile): is a symbolic link to a missing file; vq never writes through it (remove it or choose another --output)")
            }
            var isDirectory = false
            if FileManager.default.fileExists(atPath: singleFile, isDirectory: &isDirectory) {
                throw VQError(
                    .cannotCreate,
                    isDirectory
                        ? "\(singleFile): --output names a directory; use --output-dir \(singleFile)"
                        : "\(singleFile): already exists; vq never overwrites files (remove it or choose another --output)")
            }
            return
        }
        var isDirectory = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory {
            throw VQError(.cannotCreate, "\(directory): --output-dir is not a directory")
        }
    }

    /// Validates and writes one image. `.badInput` when the bytes are not an image; `.cannotCreate` when the file
    /// cannot be written (or `--output` exists).
    public func save(_ data: Data) throws(VQError) -> SavedImage {
        guard savedInAnswer < maxImages else {
            skippedCount += 1
            throw VQError(.badInput, "a returned image was not saved: \(maxImages) image(s) already saved from this answer (max_saved_images)")
        }
        let info: ImageInfo
        do {
            info = try ImageValidator.validate(data)
        } catch {
            throw VQError(.badInput, "a returned image was not saved: \(error.message)")
        }
        var data = data
        var note: String?
        if let provenance {
            switch ProvenanceEmbedder.embed(
                json: provenance.json, description: provenance.revisedPrompt ?? provenance.prompt, into: data, format: info.format, width: info.width,
                height: info.height)
            {
            case .embedded(let written): data = written
            case .keptContentCredentials: note = "the service's content credentials (C2PA) are kept as they are; provenance not written into the file"
            case .notWritten(let reason): note = "provenance not written into the file: \(reason)"
            }
        }
        let path: String
        if let singleFile, savedCount == 0 {
            try ensureDirectory(AtomicFile.parent(of: singleFile))
            guard try AtomicFile.create(singleFile, with: data, noun: " image") else {
                throw VQError(.cannotCreate, "\(singleFile): already exists; vq never overwrites files (nothing written)")
            }
            path = singleFile
        } else {
            path = try writeNumbered(data, ext: info.format.fileExtension)
        }
        savedCount += 1
        savedInAnswer += 1
        return SavedImage(path: path, info: info, bytes: data.count, provenanceNote: note)
    }

    /// Whether `maxImages` are saved: later images are counted, not written.
    public var isFull: Bool { savedInAnswer >= maxImages }

    /// The next answer of a conversation (`vq chat`) starts: its images count against the limit afresh.
    public func startAnswer() {
        savedInAnswer = 0
        skippedCount = 0
    }

    /// The one line reporting the images not saved for the limit, or nil when there were none.
    public var skippedReport: String? {
        skippedCount == 0
            ? nil
            : "\(skippedCount) more image(s) in the answer were not saved: at most \(maxImages) are saved per answer (max_saved_images in the profile)"
    }

    /// Writes under the next free number: `vq-<stamp>-N.ext` (`<stem>-N.ext` with a stem), or `<name>-N.ext` beside
    /// `--output`.
    private func writeNumbered(_ data: Data, ext: String) throws(VQError) -> String {
        let (folder, stem): (String, String)
        if let singleFile {
            let name = PathText.lastComponent(singleFile)
            let base = PathText.deletingExtension(name)
            (folder, stem) = (AtomicFile.parent(of: singleFile), base.isEmpty ? name : base)
            if nextNumber == 1 { nextNumber = 2 }
        } else {
            (folder, stem) = (directory, self.stem ?? "vq-\(stamp)")
        }
        try ensureDirectory(folder)
        while nextNumber < 100_000 {
            let name = "\(stem)-\(nextNumber).\(ext)"
            nextNumber += 1
            let path = folder == "." ? name : PathText.appending(folder, name)
            if try AtomicFile.create(path, with: data, noun: " image") { return path }
        }
        throw VQError(.cannotCreate, "\(folder): no free file name for \(stem)-N.\(ext)")
    }

    private func ensureDirectory(_ path: String) throws(VQError) {
        var isDirectory = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory { throw VQError(.cannotCreate, "\(path): not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw VQError(.cannotCreate, "\(path): cannot create directory: \(ErrorDescription.reason(error))")
        }
    }
}
