import Foundation

/// Reads successive HTTP/1.1 requests (Content-Length or chunked bodies) from one connection.
struct HTTPRequestReader {
    private let io: SocketIO
    private var buffer = Data()

    init(io: SocketIO) { self.io = io }

    /// The next request, or nil when the peer closed or sent something unparseable.
    mutating func next() -> RecordedRequest? {
        guard let headEnd = readUntil(Data("\r\n\r\n".utf8)) else { return nil }
        let headText = String(decoding: buffer[buffer.startIndex..<headEnd], as: UTF8.self)
        consume(upTo: headEnd + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            io.writeAll(Data("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        let body: Data
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let chunked = readChunkedBody() else { return nil }
            body = chunked
        } else if let length = Int(headers["content-length"] ?? "0"), length > 0 {
            guard fill(atLeast: length) else { return nil }
            body = Data(buffer.prefix(length))
            consume(upTo: buffer.startIndex + length)
        } else {
            body = Data()
        }
        return RecordedRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    private mutating func readChunkedBody() -> Data? {
        var body = Data()
        while true {
            guard let lineEnd = readUntil(Data("\r\n".utf8)) else { return nil }
            let sizeText = String(decoding: buffer[buffer.startIndex..<lineEnd], as: UTF8.self)
            consume(upTo: lineEnd + 2)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { return nil }
            if size == 0 {
                // Trailers (ignored) up to the empty line.
                while true {
                    guard let end = readUntil(Data("\r\n".utf8)) else { return nil }
                    let empty = end == buffer.startIndex
                    consume(upTo: end + 2)
                    if empty { return body }
                }
            }
            guard fill(atLeast: size + 2) else { return nil }
            body.append(buffer.prefix(size))
            consume(upTo: buffer.startIndex + size + 2)
        }
    }

    /// Index of `marker` in the buffer, reading more as needed.
    private mutating func readUntil(_ marker: Data) -> Data.Index? {
        var searchFrom = buffer.startIndex
        while true {
            if let range = buffer.range(of: marker, in: searchFrom..<buffer.endIndex) { return range.lowerBound }
            searchFrom = max(buffer.startIndex, buffer.endIndex - marker.count + 1)
            guard let more = io.readSome() else { return nil }
            buffer.append(more)
        }
    }

    private mutating func fill(atLeast count: Int) -> Bool {
        while buffer.count < count {
            guard let more = io.readSome() else { return false }
            buffer.append(more)
        }
        return true
    }

    private mutating func consume(upTo index: Data.Index) {
        buffer = Data(buffer[index...])
    }
}
