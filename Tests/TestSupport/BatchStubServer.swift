import Foundation
import Imaging

/// A loopback chat-completions server for `vq batch`: answers each request with the images it decoded
/// ("png 9x7"), records how many requests overlapped, and can hold answers back or rate-limit on command.
public final class BatchStubServer: @unchecked Sendable {
    private let condition = NSCondition()
    private var inFlight = 0
    private var maxInFlightSeen = 0
    private var answered = 0
    private var admitted = 0
    private var rateLimitedLeft: Int
    /// A per-window limit (at most `count` requests admitted in any `seconds`), as services enforce per minute.
    private let window: (count: Int, seconds: Double)?
    private var admittedTimes: [Date] = []
    private var windowRefusals = 0
    private var heldFrom: Int?
    private var server: LoopbackHTTPServer!

    /// Requests wait (up to 20 s) until this many have been in flight at once, proving concurrency; 0 never waits.
    public let waitForOverlap: Int

    public var baseURL: String { server.baseURL + "/v1" }
    public var maxInFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return maxInFlightSeen
    }
    public var answeredCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return answered
    }
    public var requests: [RecordedRequest] { server.requests }
    /// 429s sent because the window was full.
    public var limitRefusals: Int {
        condition.lock()
        defer { condition.unlock() }
        return windowRefusals
    }

    /// Every request gets this status (a service that is down), when set.
    public let failingStatus: Int?

    /// `rateLimited`: the first this many requests get 429 with Retry-After: 0. `limit`: at most `count` requests
    /// per sliding window of `seconds`; the rest get 429 with `retry-after-ms` (and `Retry-After`) saying when a slot frees.
    /// `failingStatus`: every request fails with it.
    public init(
        waitForOverlap: Int = 0, rateLimited: Int = 0, limit: (count: Int, seconds: Double)? = nil,
        failingStatus: Int? = nil
    ) throws {
        self.failingStatus = failingStatus
        self.waitForOverlap = waitForOverlap
        self.rateLimitedLeft = rateLimited
        self.window = limit
        server = try LoopbackHTTPServer { [unowned self] request, writer in self.handle(request, writer) }
    }

    public func stop() { server.stop() }

    /// From now on, answers after the first `count` are held until `release()`.
    public func hold(after count: Int) {
        condition.lock()
        heldFrom = count
        condition.unlock()
    }

    /// Lets held answers go.
    public func release() {
        condition.lock()
        heldFrom = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `count` answers have been sent; false after `timeout` seconds.
    public func waitForAnswers(_ count: Int, timeout: Double = 20) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while answered < count { if !condition.wait(until: deadline) { return answered >= count } }
        return true
    }

    private func handle(_ request: RecordedRequest, _ writer: ResponseWriter) {
        guard let body = try? request.json() as? [String: Any], let messages = body["messages"] as? [[String: Any]] else {
            return writer.respond(status: 400, body: Data("not JSON".utf8))
        }
        var described: [String] = []
        for message in messages {
            for part in message["content"] as? [[String: Any]] ?? [] where part["type"] as? String == "image_url" {
                let url = (part["image_url"] as? [String: Any])?["url"] as? String ?? ""
                switch OpenAIStubServer.decodeDataURL(url) {
                case .success(let info): described.append("\(info.format.rawValue) \(info.width)x\(info.height)")
                case .failure(let failure): return writer.respond(status: 400, body: Data(failure.message.utf8))
                }
            }
        }
        if let failingStatus {
            return writer.respond(
                status: failingStatus, headers: [("Content-Type", "application/json")],
                body: Data(#"{"error":{"message":"The server had an error while processing your request"}}"#.utf8))
        }
        condition.lock()
        if rateLimitedLeft > 0 {
            rateLimitedLeft -= 1
            condition.unlock()
            return writer.respond(
                status: 429, headers: [("Retry-After", "0"), ("Content-Type", "application/json")],
                body: Data(#"{"error":{"message":"Rate limit reached"}}"#.utf8))
        }
        if let window {
            let now = Date()
            admittedTimes.removeAll { now.timeIntervalSince($0) >= window.seconds }
            if admittedTimes.count >= window.count {
                windowRefusals += 1
                let wait = window.seconds - now.timeIntervalSince(admittedTimes[0])
                condition.unlock()
                return writer.respond(
                    status: 429,
                    headers: [
                        ("retry-after-ms", String(Int((wait * 1000).rounded(.up)))),
                        ("Retry-After", String(Int(wait.rounded(.up)))),
                        ("Content-Type", "application/json"),
                    ],
                    body: Data(#"{"error":{"message":"Rate limit reached for requests per minute"}}"#.utf8))
            }
            admittedTimes.append(now)
        }
        inFlight += 1
        maxInFlightSeen = max(maxInFlightSeen, inFlight)
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: 20)
        while maxInFlightSeen < waitForOverlap && condition.wait(until: deadline) {}
        while let heldFrom, admitted >= heldFrom { condition.wait() }
        admitted += 1
        inFlight -= 1
        answered += 1
        condition.broadcast()
        condition.unlock()
        let answer = "Saw " + described.joined(separator: ", ")
        let json =
            #"{"id":"b","object":"chat.completion","model":"batch-model","choices":[{"index":0,"message":{"role":"assistant","content":\#(OpenAIStubServer.jsonString(answer))},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}"#
        writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
    }
}
