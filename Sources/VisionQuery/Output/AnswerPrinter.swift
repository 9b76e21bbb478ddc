import FoundationEssentials
import Platform
import TextFormatting

/// Prints the end of one exchange as the output policy says: with `--schema` the whole answer checked and printed
/// as one JSON document; with `--json` the result object; else the line end after the streamed text. Then the -v
/// summary and the warnings a person should see.
struct AnswerPrinter {
    let sink: RunSink
    let policy: OutputPolicy
    let profile: Profile
    /// The model asked for ("" when the profile names none).
    let model: String
    /// `vq gen`: how the images were made, for `--json`.
    var provenance: ImageProvenance? = nil

    /// After a finished answer; throws the file that could not be saved (73), else the schema violation (79).
    func finish(
        _ outcome: QueryOutcome, output: AnswerOutput, schema: AnswerSchema?, elapsed: Double, logged: LoggedExchange?
    ) throws(VQError) {
        var violation: VQError?
        if let schema {
            violation = structured(schema, outcome, output: output, logged: logged)
        } else if policy.json {
            emit(object(outcome, output: output, logged: logged))
        } else if !output.text.isEmpty && !output.text.hasSuffix("\n") {
            sink.out("\n")
        }
        if !policy.json && !policy.quiet && provenance != nil {
            for prompt in outcome.revisedPrompts { sink.notice("revised prompt: \(prompt)") }
        }
        if output.text.isEmpty && output.saved.isEmpty && output.saveFailure == nil {
            sink.warning("\(profile.name) returned an empty answer (finish reason: \(outcome.finishReason ?? "none"))")
        }
        if policy.verbose { sink.debug(summary(outcome, elapsed: elapsed)) }  // String(format:) costs about 0.2 ms
        if outcome.finishReason == "length" {
            sink.warning("the answer was cut at the token limit (finish reason: length); raise --max-tokens")
        }
        if let failure = output.saveFailure { throw failure }
        if let violation { throw violation }
    }

    /// After a failed exchange: with `--json`, the result object with the error and its exit code; what arrived is
    /// kept, marked incomplete.
    func failed(_ error: VQError, output: AnswerOutput, logged: LoggedExchange?) {
        if let failure = output.saveFailure { sink.error(failure.message) }
        guard policy.json else {
            if policy.endsPartialAnswerLine && policy.streamsText && !output.text.isEmpty && !output.text.hasSuffix("\n") { sink.out("\n") }
            return
        }
        var object = object(QueryOutcome(), output: output, logged: logged, error: error)
        object["incomplete"] = !output.text.isEmpty || !output.saved.isEmpty
        emit(object)
    }

    /// Prints a result object as one line, unless the sink keeps it as data.
    private func emit(_ object: [String: Any]) {
        if !sink.takeResult(object) { sink.out(JSONText.render(object) + "\n") }
    }

    /// The result object of this exchange.
    private func object(_ outcome: QueryOutcome, output: AnswerOutput, logged: LoggedExchange?, error: VQError? = nil) -> [String: Any] {
        var result = ResultObject(
            profile: profile.name, model: outcome.model ?? (model.isEmpty ? nil : model), finishReason: outcome.finishReason,
            usage: outcome.usage, cost: outcome.cost, savedImages: output.saved.map(\.path), error: error?.message)
        result.provenance = provenance
        result.revisedPrompts = outcome.revisedPrompts
        return result.query(
            text: output.text, outcome: outcome, incomplete: false, exitCode: error.map { Int(ExitCode($0.category).rawValue) } ?? 0, logged: logged)
    }

    /// `--schema`: prints the checked object (as `output` inside the `--json` object, whose `text` keeps the raw
    /// answer); returns the violation instead, after printing the `--json` object with the error beside it.
    private func structured(_ schema: AnswerSchema, _ outcome: QueryOutcome, output: AnswerOutput, logged: LoggedExchange?) -> VQError? {
        do throws(VQError) {
            let value = try StructuredAnswer.check(output.text, against: schema)
            if policy.json {
                var object = object(outcome, output: output, logged: logged)
                object["output"] = value.anyValue
                emit(object)
            } else {
                sink.out(value.text + "\n")
            }
            return nil
        } catch {
            if policy.json {
                var object = object(outcome, output: output, logged: logged, error: error)
                object["output"] = JSONNull()
                emit(object)
            }
            return error
        }
    }

    /// "HTTP 200 in 1.23 s, tokens: 12 in, 34 out, finish: stop, …", the -v line after an answer.
    private func summary(_ outcome: QueryOutcome, elapsed: Double) -> String {
        var summary = "HTTP \(outcome.status) in \(DecimalText.fixed(elapsed, places: 2)) s"
        if let usage = outcome.usage {
            summary += ", tokens: \(usage.promptTokens.map(String.init) ?? "?") in, \(usage.completionTokens.map(String.init) ?? "?") out"
        }
        if let reason = outcome.finishReason { summary += ", finish: \(reason)" }
        if let seconds = outcome.processingSeconds { summary += ", processing time \(DecimalText.fixed(seconds, places: 2)) s" }
        if let balance = outcome.balance { summary += ", balance: \(Self.plain(balance))" }
        if let credits = outcome.responseHeaders["x-remaining-credits"] { summary += ", remaining credits: \(credits)" }
        return summary
    }

    /// 42 → "42", 4.5 → "4.5".
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
