import FoundationEssentials
import Glibc
import Imaging
import Platform
import TextFormatting

/// Expands `vq batch` arguments into the images to process: files and URLs as given, directories walked
/// recursively (keeping files whose leading bytes say they are images, and files named like images whatever their
/// bytes, so that a broken one gets a line saying why), `-` read as a list of paths on stdin. Each image comes with
/// its canonical key (see `BatchItem`). A path argument that does not exist stops the batch before anything is sent.
public struct BatchInputs: Sendable {
    /// fnmatch(3) pattern a file found in a directory must match by name (`*.jpg`); nil keeps every image.
    public var glob: String?
    /// The stdin list is NUL-separated (`find -print0`) instead of one path per line.
    public var nulSeparated = false
    public var readStandardInput: @Sendable () -> Data = { FileIO.readStandardInput() }

    public init() {}

    /// Every image named, in order, without repeats (the same file spelt two ways counts once), each with its key.
    public func expand(_ arguments: [String]) throws(VQError) -> [BatchItem] {
        var images: [BatchItem] = []
        var seen: Set<String> = []
        func add(_ image: BatchItem) { if seen.insert(image.identity).inserted { images.append(image) } }
        for argument in arguments {
            if argument == "-" {
                for entry in listFromStandardInput() { add(.named(entry)) }
                continue
            }
            var isDirectory = false
            if InputLoader.isURL(argument) {
                add(.named(argument))
            } else if !FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
                throw VQError(.inputMissing, "\(argument): no such file or directory")
            } else if isDirectory {
                for file in try imagesIn(directory: argument) { add(file) }
            } else {
                add(.named(argument))
            }
        }
        return images
    }

    private func listFromStandardInput() -> [String] {
        let data = readStandardInput()
        let separator: UInt8 = nulSeparated ? 0 : 0x0A
        return data.split(separator: separator).compactMap { piece in
            var text = String(decoding: piece, as: UTF8.self)
            if !nulSeparated { text = text.trimming(scalarsIn: "\r") }
            return text.isEmpty ? nil : text
        }
    }

    /// Image files under `directory`, sorted, hidden files and directories skipped; keyed by their path inside it.
    private func imagesIn(directory: String) throws(VQError) -> [BatchItem] {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let root = CanonicalInput.identity(directory)
        var found: [BatchItem] = []
        do throws(SystemError) {
            try DirectoryWalker.walk(directory) { relative, kind in
                let name = PathText.lastComponent(relative)
                if name.hasPrefix(".") { return false }
                guard kind == .regular else { return kind == .directory }
                if let glob, fnmatch(glob, name, 0) != 0 { return false }
                let path = base + relative
                guard Self.hasImageExtension(name) || Self.looksLikeImage(path) else { return false }
                let key = CanonicalInput.relative(relative)
                found.append(BatchItem(path: path, key: key, identity: CanonicalInput.path(key, relativeTo: root)))
                return false
            }
        } catch {
            throw VQError(.inputMissing, "\(directory): cannot read the directory")
        }
        return found.sorted { $0.path < $1.path }
    }

    /// File name extensions of images (compared without case).
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "jpe", "png", "webp", "gif", "heic", "heif", "avif", "tif", "tiff", "bmp"]

    static func hasImageExtension(_ name: String) -> Bool {
        imageExtensions.contains(PathText.fileExtension(name).lowercased())
    }

    /// Whether the file's first bytes are an image signature; an unreadable file is kept, so its line says why.
    static func looksLikeImage(_ path: String) -> Bool { InputLoader.sniffFile(path) ?? true }
}
