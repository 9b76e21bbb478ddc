import FoundationEssentials
import Glibc
import Platform

/// A private directory (mode 700) for one tool call: inline images written for the input loader, and images a model
/// returned when no `[mcp] output_dir` is set. Removed with everything in it when the call ends.
final class MCPScratchDirectory {
    let path: String
    private var count = 0

    init() throws(VQError) {
        var template = Array(PathText.appending(SystemDirectories.temporary, "vq-mcp-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw VQError(.cannotCreate, "cannot create a temporary directory for the call: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// Writes one inline input and returns its path (the loader sniffs the bytes; the name only orders them).
    func write(_ data: Data) throws(VQError) -> String {
        count += 1
        let file = PathText.appending(path, "inline-\(count)")
        guard FileManager.default.createFile(atPath: file, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw VQError(.cannotCreate, "cannot write inline image \(count) to a temporary file")
        }
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
