import FoundationEssentials
import Imaging

/// The `vq gen` part of preparing an exchange: the api must make images, the mask is read and checked against the
/// first image as sent (resized to match when that image was shrunk), and `--size`/`--aspect` conversions are
/// reported on -v.
enum GenerationPreparation {
    static func prepare(_ query: inout Query, session: QuerySession, sink: RunSink) throws(VQError) {
        guard let generation = query.generation else { return }
        try checkMakesImages(session)
        if let path = generation.mask { query.mask = try mask(path, first: query.parts.first) { [sink] in sink.notice($0) } }
        for note in session.provider.generationNotes(query) { sink.debug(note) }
    }

    /// Fails when the session's api cannot make images (before anything is read or sent).
    static func checkMakesImages(_ session: QuerySession) throws(VQError) {
        let profile = session.profile
        guard session.provider.makesImages else {
            throw VQError(
                .usage,
                "profile '\(profile.name)' (\(profile.api.rawValue)) cannot make images; use a profile of api openai, openai-responses, gemini, azure or vertex (Gemini models)"
            )
        }
    }

    /// The checked mask bytes; exit 65 naming the file and the reason when it cannot be used. `notice` hears that it
    /// was resized.
    static func mask(_ path: String, first: InputPart?, notice: (String) -> Void) throws(VQError) -> Data {
        guard let first, case .image(_, let info) = first.content else {
            throw VQError(.usage, "--mask \(path): a mask needs an image to edit, given before it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VQError(.inputMissing, "--mask \(path): cannot read the file")
        }
        let original = first.preparation.map { ($0.original.width, $0.original.height) } ?? (info.width, info.height)
        do {
            let (mask, note) = try EditMask.prepare(data, original: original, sent: (info.width, info.height))
            if let note { notice("--mask \(path): \(note)") }
            return mask
        } catch {
            throw VQError(.badInput, "--mask \(path): \(error.message)")
        }
    }
}
