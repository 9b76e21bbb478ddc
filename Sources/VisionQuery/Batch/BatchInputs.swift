import Foundation
import Imaging

/// Expands `vq batch` arguments into the images to process: files and URLs as given, directories walked
/// recursively (keeping files whose leading bytes say they are images), `-` read as a list of paths on stdin.
public struct BatchInputs: Sendable {
    /// fnmatch(3) pattern a file found in a directory must match by name (`*.jpg`); nil keeps every image.
    public var glob: String?
    /// The stdin list is NUL-separated (`find -print0`) instead of one path per line.
    public var nulSeparated = false
    public var readStandardInput: @Sendable () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }

    public init() {}

    /// Every image named, in order, without repeats.
    public func expand(_ arguments: [String]) throws(VQError) -> [String] {
        var images: [String] = []
        var seen: Set<String> = []
        func add(_ image: String) { if seen.insert(image).inserted { images.append(image) } }
        for argument in arguments {
            if argument == "-" {
                for entry in listFromStandardInput() { add(entry) }
                continue
            }
            var isDirectory: ObjCBool = false
            if !ImageInputLoader.isURL(argument), FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory),
               isDirectory.boolValue {
                for file in try imagesIn(directory: argument) { add(file) }
            } else {
                add(argument)
            }
        }
        return images
    }

    private func listFromStandardInput() -> [String] {
        let data = readStandardInput()
        let separator: UInt8 = nulSeparated ? 0 : 0x0A
        return data.split(separator: separator).compactMap { piece in
            var text = String(decoding: piece, as: UTF8.self)
            if !nulSeparated { text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
            return text.isEmpty ? nil : text
        }
    }

    /// Image files under `directory`, sorted, hidden files and directories skipped.
    private func imagesIn(directory: String) throws(VQError) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw VQError(.inputMissing, "\(directory): cannot read the directory")
        }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
                continue
            }
            guard (walker.fileAttributes?[.type] as? FileAttributeType) == .typeRegular else { continue }
            if let glob, fnmatch(glob, name, 0) != 0 { continue }
            let path = base + relative
            if Self.looksLikeImage(path) { found.append(path) }
        }
        return found.sorted()
    }

    /// Whether the file's first bytes are an image signature (including kinds vq refuses with a hint, such as TIFF).
    static func looksLikeImage(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return true }   // unreadable: keep it, so its line says why
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 64)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, 64) }
        guard count > 0 else { return false }
        return ImageSniffer.sniff(Data(head[0..<count])).isPicture
    }
}
