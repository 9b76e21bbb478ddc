import Foundation

/// Identifies a file's kind from its leading bytes (never from its name).
public enum ImageSniffer {
    /// How many leading bytes are inspected for markup and text detection.
    static let textWindow = 1024

    /// The kind the leading bytes indicate; `.unknown` for binary data matching no known signature.
    public static func sniff(_ bytes: Data) -> SniffedKind {
        let head = [UInt8](bytes.prefix(textWindow))
        if head.isEmpty { return .empty }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .image(.png) }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .image(.jpeg) }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .image(.gif) }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WEBP".utf8) {
            return .image(.webp)
        }
        if let kind = isoMediaKind(head) { return kind }
        if head.starts(with: Array("II*\0".utf8)) || head.starts(with: Array("MM\0*".utf8)) { return .tiff }
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        // "BM" alone is too common in text; a BMP header's reserved bytes 6..<10 are zero.
        if head.starts(with: Array("BM".utf8)), head.count >= 14, head[6..<10].allSatisfy({ $0 == 0 }) { return .bmp }
        return markupOrTextKind(head)
    }

    /// HEIC/AVIF live in an ISO media "ftyp" box; the brands say which.
    private static func isoMediaKind(_ head: [UInt8]) -> SniffedKind? {
        guard head.count >= 12, Array(head[4..<8]) == Array("ftyp".utf8) else { return nil }
        let boxSize = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        let brandBytes = head[8..<min(max(boxSize, 12), head.count)]
        // Major brand first, then compatible brands (skipping the 4-byte minor version).
        let brands = stride(from: brandBytes.startIndex, to: brandBytes.endIndex - 3, by: 4)
            .filter { $0 != brandBytes.startIndex + 4 }
            .map { String(decoding: brandBytes[$0..<$0 + 4], as: UTF8.self) }
        if brands.contains(where: { ["avif", "avis"].contains($0) }) { return .avif }
        if brands.contains(where: { ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains($0) }) {
            return .heic
        }
        return .unknown
    }

    /// Distinguishes SVG, HTML and plain text from binary data.
    private static func markupOrTextKind(_ head: [UInt8]) -> SniffedKind {
        guard looksLikeText(head) else { return .unknown }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        let start = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if start.hasPrefix("<svg") || (start.hasPrefix("<?xml") && text.contains("<svg")) { return .svg }
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.hasPrefix("<head")
            || start.hasPrefix("<body") {
            return .html
        }
        return .text
    }

    /// True for valid UTF-8 (a sequence cut off by the window is fine) without control bytes other than whitespace.
    private static func looksLikeText(_ head: [UInt8]) -> Bool {
        let allowedControls: Set<UInt8> = [0x09, 0x0A, 0x0C, 0x0D]
        if head.contains(where: { ($0 < 0x20 && !allowedControls.contains($0)) || $0 == 0x7F }) { return false }
        // A multi-byte character cut off by the window (at most 3 bytes) is not a reason to call it binary.
        let maxCut = head.count == textWindow ? 3 : 0
        return (0...maxCut).contains { String(validating: head.dropLast($0), as: UTF8.self) != nil }
    }
}
