import FoundationEssentials
import TextFormatting

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 request read from a connection of `vq mcp --http`, bounded: the head (request line and headers) to
/// `maxHeadBytes`, the body to the caller's limit and only with a Content-Length (no chunked uploads).
struct MCPHTTPRequest {
    var method: String
    /// The path without its query.
    var path: String
    /// Header values by lower-case name (a repeated header keeps its last value).
    var headers: [String: String]
    var body: Data

    static let maxHeadBytes = 16 << 10

    /// Why a request could not be read: the status to answer with, or nothing (the client went away).
    enum Failure: Error {
        case status(Int, String)
        case closed
    }

    /// The lines of a request head, split at each CR LF byte pair (not at characters: a CR LF followed by a combining
    /// mark is one character, and still ends a line).
    private static func headLines(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines: [String] = []
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            if bytes[index] == 0x0D, index + 1 < bytes.endIndex, bytes[index + 1] == 0x0A {
                lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(String(decoding: bytes[start..<bytes.endIndex], as: UTF8.self))
        return lines
    }

    static func read(from fd: Int32, maxBodyBytes: Int) throws(Failure) -> MCPHTTPRequest {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        var headEnd: Int?
        while headEnd == nil {
            if buffer.count > maxHeadBytes { throw .status(431, "request headers longer than \(maxHeadBytes >> 10) KiB") }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .closed }
            buffer.append(contentsOf: chunk[0..<count])
            headEnd = search(buffer, for: [0x0D, 0x0A, 0x0D, 0x0A])
        }
        if headEnd! > maxHeadBytes { throw .status(431, "request headers longer than \(maxHeadBytes >> 10) KiB") }
        var lines = headLines(buffer[0..<headEnd!])
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else { throw .status(400, "not an HTTP/1.1 request line") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .status(400, "malformed header line") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingWhitespace()
        }
        var body = Data(buffer[(headEnd! + 4)...])
        if headers["transfer-encoding"] != nil { throw .status(411, "send the body with a Content-Length") }
        let length = Int(headers["content-length"] ?? "0") ?? -1
        guard length >= 0 else { throw .status(400, "bad Content-Length") }
        if length > maxBodyBytes { throw .status(413, "message longer than \(maxBodyBytes >> 20) MiB") }
        while body.count < length {
            let count = recv(fd, &chunk, min(chunk.count, length - body.count), 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .closed }
            body.append(contentsOf: chunk[0..<count])
        }
        let target = String(requestLine[1])
        return MCPHTTPRequest(
            method: String(requestLine[0]), path: String(target.split(separator: "?", maxSplits: 1).first ?? ""), headers: headers,
            body: body.prefix(length))
    }

    /// Where `needle` starts in `bytes`, if anywhere.
    private static func search(_ bytes: [UInt8], for needle: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] && Array(bytes[start..<start + needle.count]) == needle {
            return start
        }
        return nil
    }

    /// Whether the Accept header lists `type` (or accepts anything).
    func accepts(_ type: String) -> Bool {
        let listed = (headers["accept"] ?? "").lowercased().split(separator: ",").map { $0.split(separator: ";")[0].trimmingWhitespace() }
        return listed.contains(type) || listed.contains("*/*")
    }
}
