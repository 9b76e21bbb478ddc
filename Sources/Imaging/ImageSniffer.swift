import FoundationEssentials
import TextFormatting

/// Identifies a file's kind from its leading bytes (never from its name).
public enum ImageSniffer {
    /// How many leading bytes are inspected for markup and text detection.
    static let textWindow = 1024

    /// The kind the leading bytes indicate; `.unknown` for binary data matching no known signature.
    public static func sniff(_ bytes: Data) -> SniffedKind {
        let head = [UInt8](bytes.prefix(textWindow))
        if head.isEmpty { return .empty }
        if head.starts(with: pngSignature) { return .image(.png) }
        if isTextModeDamagedPNG(head) { return .damagedPNG }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .image(.jpeg) }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .image(.gif) }
        if head.starts(with: Array("RIFF".utf8)), head.count >= 12, Array(head[8..<12]) == Array("WEBP".utf8) {
            return .image(.webp)
        }
        if let kind = isoMediaKind(head) { return kind }
        if let kind = videoKind(head) { return kind }
        if let kind = signatureKind(head) { return kind }
        if let kind = textFormatKind(head) { return kind }
        if let kind = netpbmKind(head) { return kind }
        let kind = markupOrTextKind(head)
        if kind == .unknown, looksLikeTGA(head, whole: bytes) { return .tga }
        return kind
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// "\x89PNG" followed by the signature's CR LF SUB LF with CR/LF converted (LF → CR LF, or CR LF → LF).
    private static func isTextModeDamagedPNG(_ head: [UInt8]) -> Bool {
        guard head.starts(with: [0x89, 0x50, 0x4E, 0x47]), head.count >= 7 else { return false }
        let rest = head[4..<min(head.count, 12)]
        guard let sub = rest.firstIndex(of: 0x1A) else { return false }
        let before = head[4..<sub]
        let after = head[(sub + 1)..<min(head.count, sub + 3)]
        let lineEnds: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D, 0x0D, 0x0A]]
        return lineEnds.contains(Array(before)) && lineEnds.contains { after.starts(with: $0) }
    }

    /// Binary formats vq names but does not send, by their magic numbers.
    private static func signatureKind(_ head: [UInt8]) -> SniffedKind? {
        func starts(_ bytes: [UInt8]) -> Bool { head.starts(with: bytes) }
        func starts(_ text: String) -> Bool { head.starts(with: Array(text.utf8)) }
        if starts("II*\0") || starts("MM\0*") || starts("II+\0") || starts("MM\0+") { return .image(.tiff) }  // also BigTIFF
        if starts("%PDF-") { return .pdf }
        // "BM" alone is too common in text; a BMP header's reserved bytes 6..<10 are zero.
        if starts("BM"), head.count >= 14, head[6..<10].allSatisfy({ $0 == 0 }) { return .bmp }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]) || starts([0xFF, 0x4F, 0xFF, 0x51]) {
            return .jpeg2000
        }
        if starts("8BPS") { return .psd }
        if starts("qoif") { return .qoi }
        if starts([0xC5, 0xD0, 0xD3, 0xC6]) || starts("%!PS") { return .eps }
        // ICO/CUR: reserved 0, type 1 or 2, 1-255 entries whose first has a zero reserved byte.
        if head.count >= 22, head[0] == 0, head[1] == 0, head[3] == 0, head[2] == 1 || head[2] == 2,
            head[4] > 0, head[5] == 0, head[9] == 0
        {
            return head[2] == 1 ? .ico : .cur
        }
        return nil
    }

    /// XPM and XBM images are C source text.
    private static func textFormatKind(_ head: [UInt8]) -> SniffedKind? {
        let text = String(decoding: head.prefix(256), as: UTF8.self)
        if text.hasPrefix("/* XPM */") || text.hasPrefix("! XPM2") { return .xpm }
        if text.hasPrefix("#define "), text.contains("_width ") { return .xbm }
        return nil
    }

    /// Netpbm: "P1"-"P7" and whitespace (PBM, PGM, PPM in text and binary; PAM).
    private static func netpbmKind(_ head: [UInt8]) -> SniffedKind? {
        guard head.count >= 3, head[0] == 0x50, (0x31...0x37).contains(head[1]), [0x09, 0x0A, 0x0D, 0x20].contains(head[2]) else {
            return nil
        }
        // What follows the whitespace: a number (the width) or a comment; PAM has a WIDTH line.
        let next = head.dropFirst(2).first { ![0x09, 0x0A, 0x0D, 0x20].contains($0) }
        let fields = String(decoding: head.dropFirst(2).prefix(16), as: UTF8.self).trimmingWhitespaceAndNewlines()
        guard let next, (0x30...0x39).contains(next) || next == 0x23 || (head[1] == 0x37 && fields.hasPrefix("WIDTH")) else {
            return nil
        }
        let names = ["PBM", "PGM", "PPM", "PBM", "PGM", "PPM", "PAM"]
        return .netpbm(names[Int(head[1] - 0x31)])
    }

    /// TGA has no magic number: a TGA 2 footer, or a header whose fields all hold values TGA allows.
    private static func looksLikeTGA(_ head: [UInt8], whole: Data) -> Bool {
        if whole.count >= 44, whole.suffix(18).elementsEqual(Array("TRUEVISION-XFILE.\0".utf8)) { return true }
        guard head.count >= 18 else { return false }
        let colorMapType = head[1]
        let imageType = head[2]
        let depth = head[16]
        let descriptor = head[17]
        let width = Int(head[12]) | Int(head[13]) << 8
        let height = Int(head[14]) | Int(head[15]) << 8
        guard width > 0, height > 0, [8, 15, 16, 24, 32].contains(depth), descriptor & 0xC0 == 0 else { return false }
        switch colorMapType {
        case 0: return [2, 3, 10, 11].contains(imageType) && head[5] == 0 && head[6] == 0 && head[7] == 0
        case 1: return [1, 9].contains(imageType) && [15, 16, 24, 32].contains(head[7])
        default: return false
        }
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
        if brands.contains(where: { ["avif", "avis"].contains($0) }) { return .image(.avif) }
        if brands.contains(where: { ["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"].contains($0) }) {
            return .image(.heic)
        }
        if brands.contains(where: { ["jp2 ", "jpx ", "jpm "].contains($0) }) { return .jpeg2000 }
        // Every other ISO media file is a video container to FFmpeg (an audio-only one is refused once opened).
        return .video(brands.first == "qt  " ? .quicktime : .mp4)
    }

    /// QuickTime files older than `ftyp` start with a `moov`, `mdat` or `wide` atom; Matroska and WebM with EBML's
    /// magic and a doctype; AVI is a RIFF form.
    private static func videoKind(_ head: [UInt8]) -> SniffedKind? {
        if head.count >= 8, ["moov", "mdat", "wide"].contains(String(decoding: head[4..<8], as: UTF8.self)) { return .video(.quicktime) }
        if head.starts(with: [0x1A, 0x45, 0xDF, 0xA3]) {
            // The doctype is a string inside the EBML header, within its first bytes.
            let header = head.prefix(64)
            return .video(header.firstRange(of: Array("webm".utf8)) != nil ? .webm : .matroska)
        }
        if head.count >= 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("AVI ".utf8) { return .video(.avi) }
        return nil
    }

    /// Distinguishes SVG, HTML and plain text from binary data.
    private static func markupOrTextKind(_ head: [UInt8]) -> SniffedKind {
        guard looksLikeText(head) else { return .unknown }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        let start = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        if start.hasPrefix("<svg") || (start.hasPrefix("<?xml") && text.contains("<svg")) { return .svg }
        if start.hasPrefix("<!doctype html") || start.hasPrefix("<html") || start.hasPrefix("<head")
            || start.hasPrefix("<body")
        {
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
