import FoundationEssentials
import TextFormatting

/// An open answer scored by another model (`--judge PROFILE`): the prompt it is asked, and its reply read as a verdict.
public enum EvalJudge {
    /// What the judge is asked about one answer.
    public static func prompt(question: String, answer: String, criteria: String) -> String {
        """
        You are grading an answer a vision model gave about the attached image(s).
        Question: \(question)
        Answer: \(answer)
        Criteria for a passing answer: \(criteria)
        Reply with PASS or FAIL on the first line, then one short sentence saying why.
        """
    }

    /// PASS or FAIL as the reply's first word (any letter case, Markdown emphasis ignored); nil when it is neither.
    public static func verdict(_ reply: String) -> EvalVerdict? {
        let lines = reply.trimmingWhitespaceAndNewlines().split(separator: "\n", maxSplits: 1)
        guard let first = lines.first else { return nil }
        let word = first.trimming(scalarsIn: "*_#:. \t").prefix { $0.isLetter }.uppercased()
        let reason = lines.count > 1 ? lines[1].trimmingWhitespace() : first.trimmingWhitespace()
        switch word {
        case "PASS": return .pass
        case "FAIL": return .fail("judge: " + ServiceErrorSummary.oneLine(reason, limit: 200))
        default: return nil
        }
    }
}
