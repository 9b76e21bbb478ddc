import Foundation
import VisionQuery

/// `vq --schema`: the whole answer, collected instead of streamed, is checked and printed as exactly one JSON
/// document (or as `output` inside the `--json` object, whose `text` keeps the raw answer).
struct StructuredAnswerPrinter {
    let console: Console
    let json: Bool

    /// Prints the checked object; returns the violation (exit 79) instead, after printing the `--json` object with
    /// the raw answer and the error beside it.
    func print(_ schema: AnswerSchema, _ outcome: QueryOutcome, output: AnswerOutput, profile: Profile, model: String) -> VQError? {
        var object = json ? QueryCommand.jsonResult(outcome, output: output, profile: profile, model: model) : [:]
        do throws(VQError) {
            let value = try StructuredAnswer.check(output.text, against: schema)
            if json {
                object["output"] = value.foundationValue
                console.out(JSONText.render(object) + "\n")
            } else {
                console.out(value.text + "\n")
            }
            return nil
        } catch {
            if json {
                object["output"] = NSNull()
                object["error"] = error.message
                object["exit_code"] = Int(ExitCode(error.category).rawValue)
                console.out(JSONText.render(object) + "\n")
            }
            return error
        }
    }
}
