import FoundationEssentials
import Platform

/// What one case gave on one profile: the answer, the verdict, latency, tokens and cost; one JSON line of
/// `vq eval --out`, or one CSV row.
public struct EvalResult: Sendable {
    public var caseID: String
    public var profile: String
    public var model: String?
    public var kind: String
    public var answer: String?
    public var verdict: EvalVerdict?
    /// Why the case could not be asked or scored (a failed request, a failed judge): neither pass nor fail.
    public var error: String?
    public var latency: Double = 0
    public var usage: Usage?
    public var cost: Cost?

    public init(caseID: String, profile: String, kind: String) {
        self.caseID = caseID
        self.profile = profile
        self.kind = kind
    }

    public var passed: Bool { error == nil && verdict?.passed == true }

    /// `{"case","profile","model","kind","passed","reason","answer","latency_s","usage","cost","error"}` and a newline.
    public func jsonLine() -> Data {
        var line = JSONWriter.orderedObject([
            ("case", caseID),
            ("profile", profile),
            ("model", model ?? JSONNull()),
            ("kind", kind),
            ("passed", error == nil ? passed : JSONNull()),
            ("reason", verdict?.reason ?? JSONNull()),
            ("answer", answer ?? JSONNull()),
            ("latency_s", (latency * 1000).rounded() / 1000),
            ("usage", usage?.jsonObject ?? JSONNull()),
            ("cost", cost?.jsonObject ?? JSONNull()),
            ("error", error ?? JSONNull()),
        ])
        line.append(0x0A)
        return line
    }

    /// The CSV columns, in order.
    public static let csvHeader = [
        "case", "profile", "model", "kind", "passed", "reason", "latency_s", "prompt_tokens", "completion_tokens", "cost_usd", "error", "answer",
    ]

    /// The header row, CRLF-terminated.
    public static var csvHeaderLine: String { csvHeader.joined(separator: ",") + "\r\n" }

    /// One RFC 4180 row (CRLF-terminated); an unknown cost is `unknown`, never 0.
    public func csvRow() -> Data {
        let passedText = error != nil ? "" : (passed ? "true" : "false")
        let costText = cost.map { $0.usd.map { String($0) } ?? "unknown" } ?? ""
        let fields = [
            caseID, profile, model ?? "", kind, passedText, verdict?.reason ?? "", String((latency * 1000).rounded() / 1000),
            usage?.promptTokens.map(String.init) ?? "", usage?.completionTokens.map(String.init) ?? "", costText, error ?? "", answer ?? "",
        ]
        return BatchCSV.row(fields)
    }
}
