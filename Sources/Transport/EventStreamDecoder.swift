import FoundationEssentials

/// One message of AWS's binary event stream (`application/vnd.amazon.eventstream`): its string headers
/// (`:message-type`, `:event-type`, `:exception-type`, …) and its payload.
public struct EventStreamMessage: Equatable, Sendable {
    public var headers: [String: String]
    public var payload: Data

    public init(headers: [String: String], payload: Data) {
        self.headers = headers
        self.payload = payload
    }
}

/// A frame that breaks the event-stream format: a CRC that does not match, a length out of bounds, a bad header.
public struct EventStreamError: Error, Equatable, Sendable {
    public let message: String
}

/// Incremental decoder of AWS event-stream frames: a 12-byte prelude (total length, headers length, CRC-32 of the
/// two), headers, payload and a CRC-32 of the whole message, all big-endian. Both CRCs are checked; messages are
/// returned as soon as their last byte arrives, whatever the chunk boundaries.
public struct EventStreamDecoder {
    /// AWS's limits: 16 MiB per message, 128 KiB of headers.
    static let maxMessageBytes = 16 << 20
    static let maxHeaderBytes = 128 << 10
    private var buffer: [UInt8] = []
    private var failed: EventStreamError?

    public init() {}

    /// The messages `chunk` completes; after one bad frame every later call throws the same error.
    public mutating func feed(_ chunk: Data) throws(EventStreamError) -> [EventStreamMessage] {
        if let failed { throw failed }
        buffer.append(contentsOf: chunk)
        var messages: [EventStreamMessage] = []
        var start = 0
        defer { buffer.removeFirst(start) }
        while buffer.count - start >= 12 {
            let total = Int(Self.uint32(buffer, start))
            let headerLength = Int(Self.uint32(buffer, start + 4))
            do throws(EventStreamError) {
                guard Self.crc32(buffer[start..<start + 8]) == Self.uint32(buffer, start + 8) else {
                    throw EventStreamError(message: "prelude CRC mismatch")
                }
                guard total >= 16, total <= Self.maxMessageBytes, headerLength <= Self.maxHeaderBytes, headerLength <= total - 16 else {
                    throw EventStreamError(message: "frame length \(total) (headers \(headerLength)) out of bounds")
                }
                guard buffer.count - start >= total else { break }
                let frame = buffer[start..<start + total]
                guard Self.crc32(frame.dropLast(4)) == Self.uint32(buffer, start + total - 4) else {
                    throw EventStreamError(message: "message CRC mismatch")
                }
                let headers = try Self.headers(frame.dropFirst(12).prefix(headerLength))
                messages.append(EventStreamMessage(headers: headers, payload: Data(frame.dropFirst(12 + headerLength).dropLast(4))))
                start += total
            } catch {
                failed = error
                start = buffer.count
                throw error
            }
        }
        return messages
    }

    /// Whether bytes of an unfinished message are left (call at the end of the stream).
    public var hasPartialMessage: Bool { !buffer.isEmpty }

    /// Reads the headers block: name length (1), name, type (1), value; string-like values kept, others skipped.
    static func headers(_ bytes: ArraySlice<UInt8>) throws(EventStreamError) -> [String: String] {
        var headers: [String: String] = [:]
        var index = bytes.startIndex
        func need(_ count: Int) throws(EventStreamError) {
            guard bytes.endIndex - index >= count else { throw EventStreamError(message: "header block truncated") }
        }
        while index < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[index])
            index += 1
            try need(nameLength + 1)
            let name = String(decoding: bytes[index..<index + nameLength], as: UTF8.self)
            index += nameLength
            let type = bytes[index]
            index += 1
            switch type {
            case 0, 1: headers[name] = type == 0 ? "true" : "false"
            case 6, 7:
                try need(2)
                let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
                try need(length)
                if type == 7 { headers[name] = String(decoding: bytes[index..<index + length], as: UTF8.self) }
                index += length
            default:  // byte, short, integer, long, timestamp, UUID: skipped
                guard let length = fixedValueLengths[type] else { throw EventStreamError(message: "unknown header type \(type)") }
                try need(length)
                index += length
            }
        }
        return headers
    }

    /// Value sizes of the fixed-size header types.
    static let fixedValueLengths: [UInt8: Int] = [2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16]

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// CRC-32 (IEEE 802.3, as zlib's `crc32`).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
