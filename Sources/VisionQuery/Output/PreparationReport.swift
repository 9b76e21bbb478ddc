import FoundationEssentials
import Imaging

/// Says what was done to each part before sending, the same way for every run: one -v line per part (a notice in a
/// dry run), and what had to be done to fit a byte limit even without -v.
enum PreparationReport {
    /// Each input's notes (a notice), then its parts.
    static func report(_ inputs: [Input], to sink: RunSink, dryRun: Bool, listParts: Bool = true) {
        for input in inputs {
            let name = input.source == "-" ? "stdin" : input.source
            for note in input.notes { sink.notice("\(name): \(note)") }
            if let route = input.route, listParts {
                if dryRun { sink.notice("\(name): \(route)") } else { sink.debug("\(name): \(route)") }
            }
            report(input.parts, to: sink, dryRun: dryRun, listParts: listParts)
        }
    }

    static func report(_ parts: [InputPart], to sink: RunSink, dryRun: Bool, listParts: Bool = true) {
        for part in parts {
            if listParts {
                let kind = part.kind
                if dryRun { sink.notice("\(kind) \(part.summary)") } else { sink.debug("\(kind) \(part.summary)") }
            }
            for note in part.preparation?.notes ?? [] {
                if note.contains(" to fit ") { sink.notice("\(part.name): \(note)") } else { sink.debug("\(part.name): \(note)") }
            }
        }
    }
}
