import Foundation

/// Gemini's Files API inside `GeminiStubServer`: the resumable upload (`POST /upload/v1beta/files` with
/// `X-Goog-Upload-Command: start` → `X-Goog-Upload-URL`; then `upload, finalize` at offset 0 with every byte, or
/// `cancel`), `GET /v1beta/files/{id}` (PROCESSING for `processingPolls` reads, then ACTIVE), `DELETE`; with faults
/// for a failed upload, a file that stays PROCESSING or FAILS, and a stalled upload answer.
public final class GeminiFilesStub: @unchecked Sendable {
    /// What goes wrong.
    public struct Faults: Sendable {
        /// GETs that still answer PROCESSING before ACTIVE.
        public var processingPolls = 1
        /// The file never leaves PROCESSING.
        public var staysProcessing = false
        /// Processing ends in FAILED.
        public var failsProcessing = false
        /// The first `uploadFailures` upload+finalize requests answer 503 (the bytes are dropped).
        public var uploadFailures = 0
        /// Upload+finalize requests are held until the client goes away (for Ctrl-C during an upload).
        public var stallsUpload = false
        public init() {}
    }

    /// A file the stub holds.
    public struct StoredFile: Sendable {
        public var name: String
        public var displayName: String
        public var mimeType: String
        public var bytes: Data
        public var polls: Int
        public var expiration: Date
    }

    private struct Session {
        var displayName: String
        var length: Int
        var mimeType: String
    }

    public var faults: Faults {
        get { lock.withLock { storedFaults } }
        set { lock.withLock { storedFaults = newValue } }
    }

    private let lock = NSCondition()
    private var storedFaults = Faults()
    private var sessions: [String: Session] = [:]
    private var stored: [String: StoredFile] = [:]
    private var counter = 0
    private var uploadAttempts = 0
    private var cancelledSessions = 0
    private var deletedNames: [String] = []
    private var getCount = 0

    public init() {}

    /// Files on the stub now (uploaded and not deleted).
    public var files: [StoredFile] { lock.withLock { Array(stored.values) } }
    /// Upload sessions started (`start` commands).
    public var uploadsStarted: Int { lock.withLock { counter } }
    /// Names deleted by DELETE.
    public var deleted: [String] { lock.withLock { deletedNames } }
    /// Sessions ended by `cancel`.
    public var cancelled: Int { lock.withLock { cancelledSessions } }
    /// GETs of a file.
    public var gets: Int { lock.withLock { getCount } }

    /// Waits until the client has read a file `count` times (or 20 s pass); true when it has.
    public func waitForGets(_ count: Int) -> Bool { waitUntil { $0.getCount >= count } }

    /// Waits until an `upload, finalize` request has arrived (or 20 s pass); true when one has.
    public func waitForUploadAttempt() -> Bool { waitUntil { $0.uploadAttempts >= 1 } }

    private func waitUntil(_ holds: (GeminiFilesStub) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        lock.lock()
        defer { lock.unlock() }
        while !holds(self) { if !lock.wait(until: deadline) { return holds(self) } }
        return true
    }

    /// Drops a file as if it expired (its GET answers 404 from now on).
    public func forget(_ name: String) { lock.withLock { _ = stored.removeValue(forKey: name) } }

    /// Whether `uri` names an ACTIVE file, and its MIME type.
    func activeFile(uri: String) -> StoredFile? {
        lock.withLock { stored.values.first { uri.hasSuffix("/v1beta/\($0.name)") && $0.polls >= storedFaults.processingPolls } }
    }

    /// Answers a Files API request; false when the path is not the Files API's.
    func handle(_ request: RecordedRequest, _ writer: ResponseWriter, baseURL: String) -> Bool {
        let path = request.path
        if request.method == "POST", path.hasPrefix("/upload/v1beta/files") {
            uploadCommand(request, writer, baseURL: baseURL)
            return true
        }
        guard path.hasPrefix("/v1beta/files/") else { return false }
        let name = "files/" + path.dropFirst("/v1beta/files/".count)
        switch request.method {
        case "GET":
            let answer = lock.withLock { () -> String? in
                getCount += 1
                lock.broadcast()
                guard var file = stored[name] else { return nil }
                file.polls += 1
                stored[name] = file
                return json(file, baseURL: baseURL)
            }
            guard let answer else {
                notFound(writer, name)
                return true
            }
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data(answer.utf8))
        case "DELETE":
            let found = lock.withLock { () -> Bool in
                deletedNames.append(name)
                return stored.removeValue(forKey: name) != nil
            }
            guard found else {
                notFound(writer, name)
                return true
            }
            writer.respond(status: 200, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
        default:
            writer.respond(status: 405, body: Data())
        }
        return true
    }

    private func uploadCommand(_ request: RecordedRequest, _ writer: ResponseWriter, baseURL: String) {
        let command = request.header("x-goog-upload-command") ?? ""
        if command == "start" {
            guard request.header("x-goog-upload-protocol") == "resumable", let length = Int(request.header("x-goog-upload-header-content-length") ?? ""),
                let mime = request.header("x-goog-upload-header-content-type"),
                let body = try? request.json() as? [String: Any], let file = body["file"] as? [String: Any],
                let display = file["display_name"] as? String
            else { return badRequest(writer, "bad start of a resumable upload") }
            let id = lock.withLock { () -> String in
                counter += 1
                let id = "session\(counter)"
                sessions[id] = Session(displayName: display, length: length, mimeType: mime)
                return id
            }
            return writer.respond(
                status: 200,
                headers: [
                    ("X-Goog-Upload-URL", "\(baseURL)/upload/v1beta/files?upload_id=\(id)&upload_protocol=resumable"), ("X-Goog-Upload-Status", "active"),
                ],
                body: Data())
        }
        guard let id = request.query("upload_id"), let session = lock.withLock({ sessions[id] }) else {
            return notFound(writer, "upload session")
        }
        if command == "cancel" {
            lock.withLock {
                sessions[id] = nil
                cancelledSessions += 1
            }
            return writer.respond(status: 200, body: Data())
        }
        guard command == "upload, finalize", request.header("x-goog-upload-offset") == "0" else {
            return badRequest(writer, "expected 'upload, finalize' at offset 0, got '\(command)'")
        }
        let (fault, stalls) = lock.withLock { () -> (Bool, Bool) in
            uploadAttempts += 1
            lock.broadcast()
            return (uploadAttempts <= storedFaults.uploadFailures, storedFaults.stallsUpload)
        }
        if stalls { return writer.waitUntilClientGone(timeout: 30) }
        if fault {
            return writer.respond(
                status: 503, headers: [("Content-Type", "application/json")],
                body: Data(#"{"error":{"code":503,"message":"upload failed","status":"UNAVAILABLE"}}"#.utf8))
        }
        guard request.body.count == session.length else {
            return badRequest(writer, "got \(request.body.count) bytes, the start announced \(session.length)")
        }
        let answer = lock.withLock { () -> String in
            sessions[id] = nil
            let name = "files/stub\(counter)x\(uploadAttempts)"
            let file = StoredFile(
                name: name, displayName: session.displayName, mimeType: session.mimeType, bytes: request.body, polls: 0,
                expiration: Date().addingTimeInterval(48 * 3600))
            stored[name] = file
            return #"{"file":\#(json(file, baseURL: baseURL))}"#
        }
        writer.respond(status: 200, headers: [("Content-Type", "application/json"), ("X-Goog-Upload-Status", "final")], body: Data(answer.utf8))
    }

    /// A File resource; call with the lock held.
    private func json(_ file: StoredFile, baseURL: String) -> String {
        let state: String
        if file.polls < storedFaults.processingPolls || storedFaults.staysProcessing {
            state = "PROCESSING"
        } else {
            state = storedFaults.failsProcessing ? "FAILED" : "ACTIVE"
        }
        let error = state == "FAILED" ? #","error":{"code":400,"message":"the video could not be decoded"}"# : ""
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return
            #"{"name":"\#(file.name)","displayName":\#(NativeStub.json(file.displayName)),"mimeType":"\#(file.mimeType)","sizeBytes":"\#(file.bytes.count)","expirationTime":"\#(formatter.string(from: file.expiration))","uri":"\#(baseURL)/v1beta/\#(file.name)","state":"\#(state)"\#(error)}"#
    }

    private func notFound(_ writer: ResponseWriter, _ what: String) {
        writer.respond(
            status: 404, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"code":404,"message":"\#(what) not found","status":"NOT_FOUND"}}"#.utf8))
    }

    private func badRequest(_ writer: ResponseWriter, _ message: String) {
        writer.respond(
            status: 400, headers: [("Content-Type", "application/json")],
            body: Data(#"{"error":{"code":400,"message":\#(NativeStub.json(message)),"status":"INVALID_ARGUMENT"}}"#.utf8))
    }
}
