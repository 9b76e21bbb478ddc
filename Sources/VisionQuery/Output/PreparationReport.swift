import Foundation

/// Says what was done to each part before sending, the same way for every run: one -v line per part (a notice in a
/// dry run), and what had to be done to fit a byte limit even without -v.
enum PreparationReport {
    static func report(_ parts: [InputPart], to sink: RunSink, dryRun: Bool, listParts: Bool = true) {
        for part in parts {
            if listParts {
                if dryRun { sink.notice("image \(part.summary)") } else { sink.debug("image \(part.summary)") }
            }
            for note in part.preparation?.notes ?? [] {
                if note.contains(" to fit ") { sink.notice("\(part.name): \(note)") } else { sink.debug("\(part.name): \(note)") }
            }
        }
    }
}
