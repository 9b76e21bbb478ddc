import FoundationEssentials
import Imaging
import Platform
import TextFormatting

/// Which media of a Gemini request go through the Files API: none while the whole request (prompt, earlier turns
/// and base64 of every inline part) fits the inline cap (the profile's `max_request_bytes`, 20 MB for Gemini);
/// otherwise the largest first, until what stays inline fits.
public struct GeminiUploadRoute: Sendable {
    /// A medium that can go either way.
    public struct Candidate: Sendable {
        public var slot: GeminiMediaSlot
        /// "clip.mp4", "report.pdf", "earlier turn 2, image 1".
        public var label: String
        public var mimeType: String
        /// Its base64 length in the inline request.
        public var inlineLength: Int
        /// The bytes to upload (decoded from an earlier turn's base64 when it came from the log).
        public var source: @Sendable () -> UploadSource?
    }

    /// The media that go up, largest first.
    public private(set) var uploads: [Candidate] = []
    /// The inline request's size and the cap it was measured against (nil: no cap, nothing is uploaded).
    public let inlineLength: Int
    public let cap: Int?
    /// Every medium of the request, in order.
    public let candidates: [Candidate]

    /// Bytes a `file_data` reference takes in the JSON instead (MIME type, URI, keys).
    static let referenceLength = 256

    init(query: Query, inlineLength: Int, cap: Int?) {
        self.inlineLength = inlineLength
        self.cap = cap
        candidates = Self.candidates(query)
        guard let cap, inlineLength > cap else { return }
        var length = inlineLength
        for candidate in candidates.sorted(by: { $0.inlineLength > $1.inlineLength }) where length > cap {
            uploads.append(candidate)
            length -= candidate.inlineLength - Self.referenceLength
        }
    }

    /// Whether `slot` goes through the Files API.
    public func uploads(_ slot: GeminiMediaSlot) -> Bool { uploads.contains { $0.slot == slot } }

    /// "clip.mp4: upload through the Files API (25.1 MB)" or "photo.jpg: inline (312 KB)", one line per medium,
    /// with why when anything goes up; empty when the request has no media.
    public var notes: [String] {
        guard !candidates.isEmpty else { return [] }
        var lines = candidates.map { candidate in
            let size = ByteCountText.format(candidate.inlineLength * 3 / 4)
            return uploads(candidate.slot)
                ? "\(candidate.label): upload through the Files API (\(size))" : "\(candidate.label): inline (\(size))"
        }
        if !uploads.isEmpty, let cap {
            lines.append(
                "the request would be \(ByteCountText.format(inlineLength)) inline, over the \(ByteCountText.format(cap)) inline cap (max_request_bytes)")
        }
        return lines
    }

    /// Every inline medium of the request: earlier turns' images and PDFs, then the query's parts.
    private static func candidates(_ query: Query) -> [Candidate] {
        var candidates: [Candidate] = []
        for (turnIndex, turn) in (query.history?.turns ?? []).enumerated() where turn.role == "user" || turn.role == "assistant" {
            var media = 0
            for (partIndex, part) in turn.parts.enumerated() {
                let mime: String
                let base64: String
                let name: String
                switch part {
                case .inlineImage(let type, let text):
                    (mime, base64) = (type, text)
                    media += 1
                    name = "earlier turn \(turnIndex + 1), image \(media)"
                case .inlineDocument(let type, let text, let fileName):
                    (mime, base64) = (type, text)
                    media += 1
                    name = "\(fileName) (earlier turn \(turnIndex + 1))"
                case .imageURL(let url):
                    guard query.history?.fromLog == true, let video = LoggedVideo(url: url) else { continue }
                    media += 1
                    let label = "\(PathText.lastComponent(video.path)) (earlier turn \(turnIndex + 1))"
                    candidates.append(
                        Candidate(
                            slot: .history(turn: turnIndex, part: partIndex), label: label, mimeType: video.mimeType,
                            inlineLength: 4 * ((video.byteCount + 2) / 3),
                            source: { UploadSource(path: video.path, length: video.byteCount, mimeType: video.mimeType, displayName: label) }))
                    continue
                case .text: continue
                }
                candidates.append(
                    Candidate(
                        slot: .history(turn: turnIndex, part: partIndex), label: name, mimeType: mime, inlineLength: base64.utf8.count,
                        source: { Data(base64Encoded: base64).map { UploadSource(data: $0, mimeType: mime, displayName: name) } }))
            }
        }
        for (index, part) in query.parts.enumerated() {
            switch part.content {
            case .image(let data, let info):
                candidates.append(
                    Candidate(
                        slot: .part(index), label: part.name, mimeType: info.format.mimeType, inlineLength: 4 * ((data.count + 2) / 3),
                        source: { UploadSource(data: data, mimeType: info.format.mimeType, displayName: part.name) }))
            case .document(let data, let info):
                candidates.append(
                    Candidate(
                        slot: .part(index), label: part.name, mimeType: info.mimeType, inlineLength: 4 * ((data.count + 2) / 3),
                        source: { UploadSource(data: data, mimeType: info.mimeType, displayName: info.fileName) }))
            case .video(let info, _):
                let name = PathText.lastComponent(info.path)
                candidates.append(
                    Candidate(
                        slot: .part(index), label: part.name, mimeType: info.mimeType, inlineLength: 4 * ((info.byteCount + 2) / 3),
                        source: {
                            UploadSource(path: info.path, length: info.byteCount, mimeType: info.mimeType, displayName: part.source == "-" ? name : part.name)
                        }))
            case .remoteURL:
                continue
            }
        }
        return candidates
    }
}
