import FoundationEssentials
import Platform
import VisionQuery

/// Hidden `vq _check SCHEMA FILE N`: checks the answer in FILE against SCHEMA N times exactly as `--schema` does
/// and prints the checked object once, so `make bench` can time schema checking per answer in the real binary.
struct CheckAnswerCommand {
    let schema: String
    let path: String
    let repeats: Int
    let console: Console

    func run() throws(VQError) -> Int32 {
        let answerSchema = try AnswerSchema.load(schema, origin: "--schema")
        guard let data = FileManager.default.contents(atPath: path) else { throw VQError(.inputMissing, "\(path): cannot read") }
        let text = String(decoding: data, as: UTF8.self)
        var checked = OrderedJSON.null
        for _ in 0..<repeats { checked = try StructuredAnswer.check(text, against: answerSchema) }
        console.out(checked.text + "\n")
        return ExitCode.success.rawValue
    }
}
