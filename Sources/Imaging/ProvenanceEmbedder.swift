internal import CShims
import FoundationEssentials
import TextFormatting

/// Writes how an image was made into the image file itself, without re-encoding it: a PNG `iTXt` chunk
/// (keyword `vq:provenance`), JPEG and WebP XMP (`dc:description` and `vq:provenance`). A file that carries content
/// credentials (C2PA: PNG `caBX`, JPEG APP11, WebP `C2PA`) is left exactly as it is, since any change would break
/// their signed hash; so is a JPEG or WebP that already has XMP.
public enum ProvenanceEmbedder {
    /// What became of the file.
    public enum Result: Equatable, Sendable {
        case embedded(Data)
        /// The service's content credentials are kept untouched; nothing was written.
        case keptContentCredentials
        /// The format (or this file's layout) has no place vq writes to.
        case notWritten(String)
    }

    /// The keyword of the PNG text chunk and the XMP property.
    public static let keyword = "vq:provenance"

    /// Embeds `json` (the provenance object) and `description` (the prompt) into `data`.
    public static func embed(json: String, description: String, into data: Data, format: ImageFormat, width: Int, height: Int) -> Result {
        switch format {
        case .png: return png(json: json, into: data)
        case .jpeg: return jpeg(xmp: xmpPacket(json: json, description: description), into: data)
        case .webp: return webp(xmp: xmpPacket(json: json, description: description), into: data, width: width, height: height)
        default: return .notWritten("vq writes provenance into PNG, JPEG and WebP files only")
        }
    }

    // MARK: PNG

    static func png(json: String, into data: Data) -> Result {
        var chunks: [(type: String, start: Int)] = []
        var offset = 8
        while offset + 12 <= data.count {
            let length = Int(data.readUInt32(at: offset))
            let type = String(decoding: data[data.startIndex + offset + 4..<data.startIndex + offset + 8], as: UTF8.self)
            chunks.append((type, offset))
            if type == "IEND" { break }
            offset += 12 + length
        }
        if chunks.contains(where: { $0.type == "caBX" }) { return .keptContentCredentials }
        guard let end = chunks.last, end.type == "IEND" else { return .notWritten("the PNG has no IEND chunk") }
        var body = Data(keyword.utf8)
        body.append(contentsOf: [0, 0, 0, 0, 0])  // keyword end, uncompressed, method 0, no language, no translation
        body.append(Data(json.utf8))
        var chunk = Data()
        chunk.appendUInt32(UInt32(body.count))
        var typed = Data("iTXt".utf8)
        typed.append(body)
        chunk.append(typed)
        let crc = typed.withUnsafeBytes { vq_png_crc($0.bindMemory(to: UInt8.self).baseAddress, typed.count) }
        chunk.appendUInt32(UInt32(crc))
        var out = data.prefix(end.start)
        out.append(chunk)
        out.append(data[(data.startIndex + end.start)...])
        return .embedded(Data(out))
    }

    // MARK: JPEG

    static let xmpNamespace = Data("http://ns.adobe.com/xap/1.0/\0".utf8)

    static func jpeg(xmp: Data, into data: Data) -> Result {
        guard data.count > 4, data[data.startIndex] == 0xFF, data[data.startIndex + 1] == 0xD8 else { return .notWritten("not a JPEG") }
        // Walk the segments before the image data: credentials (APP11) or XMP already there leave the file alone.
        var offset = 2
        var insertAt = 2
        while offset + 4 <= data.count, data[data.startIndex + offset] == 0xFF {
            let marker = data[data.startIndex + offset + 1]
            if marker == 0xDA || marker == 0xD9 { break }
            let length = Int(data[data.startIndex + offset + 2]) << 8 | Int(data[data.startIndex + offset + 3])
            let payload = data.startIndex + offset + 4
            if marker == 0xEB { return .keptContentCredentials }
            if marker == 0xE1, payload + xmpNamespace.count <= data.count, data[payload..<payload + xmpNamespace.count] == xmpNamespace {
                return .notWritten("the JPEG already has XMP")
            }
            if marker == 0xE0 || marker == 0xE1 { insertAt = offset + 2 + length }  // after JFIF and Exif
            offset += 2 + length
        }
        let payload = xmpNamespace + xmp
        guard payload.count + 2 <= 0xFFFF else { return .notWritten("the provenance is longer than one JPEG segment holds") }
        var segment = Data([0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)])
        segment.append(payload)
        var out = Data(data.prefix(insertAt))
        out.append(segment)
        out.append(data[(data.startIndex + insertAt)...])
        return .embedded(out)
    }

    // MARK: WebP

    static func webp(xmp: Data, into data: Data, width: Int, height: Int) -> Result {
        guard data.count >= 20, data.prefix(4) == Data("RIFF".utf8), data[data.startIndex + 8..<data.startIndex + 12] == Data("WEBP".utf8) else {
            return .notWritten("not a WebP file")
        }
        var chunks: [(type: String, start: Int, length: Int)] = []
        var offset = 12
        while offset + 8 <= data.count {
            let type = String(decoding: data[data.startIndex + offset..<data.startIndex + offset + 4], as: UTF8.self)
            let length = Int(data.readUInt32LE(at: offset + 4))
            chunks.append((type, offset, length))
            offset += 8 + length + (length & 1)
        }
        if chunks.contains(where: { $0.type == "C2PA" }) { return .keptContentCredentials }
        if chunks.contains(where: { $0.type == "XMP " }) { return .notWritten("the WebP already has XMP") }
        var body = Data(data[(data.startIndex + 12)...])
        if let first = chunks.first, first.type == "VP8X" {
            body[body.startIndex + 8] |= 0x04  // the XMP flag
        } else {
            // A simple file (VP8 or VP8L alone) becomes extended: VP8X with the canvas size (and alpha for VP8L).
            var hasAlpha = false
            if let first = chunks.first, first.type == "VP8L", first.length >= 5 {
                hasAlpha = data.readUInt32LE(at: first.start + 9) & (1 << 28) != 0
            }
            var header = Data("VP8X".utf8)
            header.appendUInt32LE(10)
            header.append(hasAlpha ? 0x10 | 0x04 : 0x04)
            header.append(contentsOf: [0, 0, 0])
            header.appendUInt24LE(UInt32(width - 1))
            header.appendUInt24LE(UInt32(height - 1))
            body = header + body
        }
        body.append(Data("XMP ".utf8))
        body.appendUInt32LE(UInt32(xmp.count))
        body.append(xmp)
        if xmp.count & 1 == 1 { body.append(0) }
        var out = Data("RIFF".utf8)
        out.appendUInt32LE(UInt32(4 + body.count))
        out.append(Data("WEBP".utf8))
        out.append(body)
        return .embedded(out)
    }

    // MARK: XMP

    /// An XMP packet with the prompt as `dc:description` and the provenance JSON as `vq:provenance`.
    static func xmpPacket(json: String, description: String) -> Data {
        let packet = """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:vq="https://vq.invalid/ns/provenance/1.0/">\
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(description))</rdf:li></rdf:Alt></dc:description>\
            <vq:provenance>\(escaped(json))</vq:provenance>\
            </rdf:Description></rdf:RDF></x:xmpmeta>
            <?xpacket end="w"?>
            """
        return Data(packet.utf8)
    }

    static func escaped(_ text: String) -> String {
        text.replacingScalars("&", with: "&amp;").replacingScalars("<", with: "&lt;").replacingScalars(">", with: "&gt;")
            .replacingScalars("\"", with: "&quot;")
    }
}

extension Data {
    fileprivate func readUInt32(at offset: Int) -> UInt32 {
        (startIndex + offset..<startIndex + offset + 4).reduce(0) { $0 << 8 | UInt32(self[$1]) }
    }
    fileprivate func readUInt32LE(at offset: Int) -> UInt32 {
        (startIndex + offset..<startIndex + offset + 4).reversed().reduce(0) { $0 << 8 | UInt32(self[$1]) }
    }
    fileprivate mutating func appendUInt32(_ value: UInt32) { append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }) }
    fileprivate mutating func appendUInt32LE(_ value: UInt32) { append(contentsOf: [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) }) }
    fileprivate mutating func appendUInt24LE(_ value: UInt32) { append(contentsOf: [0, 8, 16].map { UInt8(truncatingIfNeeded: value >> $0) }) }
}
