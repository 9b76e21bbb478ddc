import FoundationEssentials
import Glibc
import Platform
import TextFormatting

/// The class list of a labelled dataset (YOLO's `classes.txt`, COCO's categories): one name per line, a label's class
/// id its line number from 0. Labels are only ever appended, under an flock(2) on the file, re-read first, so ids
/// already written into label files never change, whether by a later label, a resumed run or another shard writing
/// into the same folder. Without a file the list lives in memory, in the order labels first appear.
public final class DetectionClasses: @unchecked Sendable {
    public let path: String?
    private let lock = Lock()
    private var names: [String] = []
    private var ids: [String: Int] = [:]

    /// A list in memory only.
    public init() { path = nil }

    /// The list kept in `path`, read when it exists.
    public init(path: String) throws(VQError) {
        self.path = path
        if FileManager.default.fileExists(atPath: path) { try adopt(try Self.read(path).names) }
    }

    /// Every class name, in id order.
    public var all: [String] { lock.withLock { names } }

    /// The class name a label is kept under: control characters (a line break would split the file) become spaces,
    /// the ends trimmed.
    public static func name(_ label: String) -> String {
        String(String.UnicodeScalarView(label.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
            .trimmingWhitespace()
    }

    /// The id of `label`'s class, added at the end of the list (and the file) when it is new.
    public func id(for label: String) throws(VQError) -> Int {
        let name = Self.name(label)
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[name] { return id }
        guard let path else { return append(name) }
        return try withFileLock(path) { (fd) throws(VQError) -> Int in
            let (read, unfinished) = try Self.read(path)
            try adopt(read)  // another shard may have added classes since
            if let id = ids[name] { return id }
            guard FileDescriptorWriter.writeAll(fd, Data(((unfinished ? "\n" : "") + name + "\n").utf8)), fsync(fd) == 0 else {
                throw VQError(.cannotCreate, "\(path): cannot add class '\(name)': \(ErrnoText.current)")
            }
            return append(name)
        }
    }

    private func append(_ name: String) -> Int {
        ids[name] = names.count
        names.append(name)
        return names.count - 1
    }

    /// Takes the file's list, which must start with the classes known so far (they are only ever appended).
    private func adopt(_ read: [String]) throws(VQError) {
        guard read.starts(with: names) else {
            throw VQError(.config, "\(path ?? ""): its classes changed while vq was writing labels with them (class ids must not change)")
        }
        for name in read.dropFirst(names.count) { _ = append(name) }
    }

    /// The names in the file, and whether its last line lacks its line break (written by hand).
    private static func read(_ path: String) throws(VQError) -> (names: [String], unfinished: Bool) {
        guard let data = FileManager.default.contents(atPath: path) else { throw VQError(.inputMissing, "\(path): cannot read the classes file") }
        guard let text = String(data: data, encoding: .utf8) else { throw VQError(.badInput, "\(path): the classes file is not UTF-8 text") }
        var lines = text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        if lines.last == "" { lines.removeLast() }
        if let blank = lines.firstIndex(where: { name($0).isEmpty }) {
            throw VQError(.badInput, "\(path): line \(blank + 1) of the classes file is empty (a class per line; its id is its line number from 0)")
        }
        return (lines.map(name), !data.isEmpty && data.last != 0x0A)
    }

    /// Runs `body` with `path` open for appending under an exclusive flock (waiting for another vq's turn).
    private func withFileLock<T>(_ path: String, _ body: (Int32) throws(VQError) -> T) throws(VQError) -> T {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw VQError(.cannotCreate, "\(path): cannot open the classes file: \(ErrnoText.current)") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw VQError(.cannotCreate, "\(path): cannot lock the classes file: \(ErrnoText.current)") }
        defer { flock(fd, LOCK_UN) }
        return try body(fd)
    }
}
