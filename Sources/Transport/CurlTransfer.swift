internal import CShims
import Dispatch
import FoundationEssentials

/// State shared with curl's C callbacks during one send: body reader, head parser, stall clock, caller closures.
final class CurlTransfer {
    private var reader: BodyReader
    private let onHead: (HTTPResponseHead) -> Void
    private let onData: (Data) -> Bool
    private let stallTimeout: Double
    private let log: ((String) -> Void)?
    private let cancellation: TransferCancellation?
    private let contentActivity: ContentActivity?

    private var hopURL = ""
    private var head = ResponseHeadParser()
    /// Set when the hop's head is a redirect: its body is discarded and the caller never sees it.
    private(set) var isRedirectHop = false
    private(set) var finalHead: HTTPResponseHead?
    private(set) var abortedByCaller = false
    private(set) var stalled = false
    private var lastActivity = DispatchTime.now().uptimeNanoseconds
    private var lastProgressTotal: Int64 = -1

    init(
        body: [BodyPart], stallTimeout: Double, log: ((String) -> Void)?, cancellation: TransferCancellation?,
        contentActivity: ContentActivity? = nil,
        onHead: @escaping (HTTPResponseHead) -> Void, onData: @escaping (Data) -> Bool
    ) {
        self.contentActivity = contentActivity
        self.reader = BodyReader(parts: body)
        self.stallTimeout = stallTimeout
        self.log = log
        self.cancellation = cancellation
        self.onHead = onHead
        self.onData = onData
    }

    /// Resets per-hop state before a request goes out.
    func beginHop(url: String) {
        hopURL = url
        head = ResponseHeadParser()
        isRedirectHop = false
        reader.rewind()
        lastActivity = DispatchTime.now().uptimeNanoseconds
        lastProgressTotal = -1
    }

    var hopStatus: Int { head.status }

    // MARK: callbacks

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        touch()
        let line = String(decoding: bytes, as: UTF8.self)
        if head.feed(line) {
            let status = head.status
            isRedirectHop = RedirectRule.isRedirect(status) && head.headers["location"] != nil
            log?("< \(status)" + (head.headers["content-type"].map { " (\($0))" } ?? ""))
            if !isRedirectHop {
                let final = HTTPResponseHead(status: status, headers: head.headers, url: hopURL)
                finalHead = final
                onHead(final)
            }
        }
        return bytes.count
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if contentActivity == nil || finalHead == nil { touch() }  // a reader judging content touches for itself
        if isCancelled() { return 0 }
        if isRedirectHop || finalHead == nil { return bytes.count }
        if onData(Data(bytes)) { return bytes.count }
        abortedByCaller = true
        return 0
    }

    func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        touch()
        return reader.read(into: buffer)
    }

    func rewindBody() { reader.rewind() }

    /// Returns false to abort when the caller cancelled or nothing has moved for stallTimeout.
    func progress(downloaded: Int64, uploaded: Int64) -> Bool {
        if isCancelled() { return false }
        // With a content reader, downloaded bytes are not progress: only its touches and the upload are.
        let total = contentActivity == nil ? downloaded + uploaded : uploaded
        if total != lastProgressTotal {
            lastProgressTotal = total
            touch()
            return true
        }
        let since = max(lastActivity, contentActivity?.lastTouched ?? 0)
        let now = DispatchTime.now().uptimeNanoseconds
        let idle = Double(now > since ? now - since : 0) / 1e9
        if idle >= stallTimeout {
            stalled = true
            return false
        }
        return true
    }

    /// Whether another thread asked the transfer to stop; it then ends as aborted by the caller.
    private func isCancelled() -> Bool {
        guard cancellation?.isCancelled == true else { return false }
        abortedByCaller = true
        return true
    }

    private func touch() { lastActivity = DispatchTime.now().uptimeNanoseconds }
}

/// C entry points: each recovers the CurlTransfer from its Unmanaged context pointer.
enum CurlCallbacks {
    static func transfer(_ context: UnsafeMutableRawPointer?) -> CurlTransfer {
        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
    }

    static let write: vq_curl_data_cb = { ptr, size, count, context in
        transfer(context).receiveBody(UnsafeRawBufferPointer(start: ptr, count: size * count))
    }

    static let header: vq_curl_data_cb = { ptr, size, count, context in
        transfer(context).receiveHeaderLine(UnsafeRawBufferPointer(start: ptr, count: size * count))
    }

    static let read: vq_curl_data_cb = { ptr, size, count, context in
        transfer(context).sendBody(into: UnsafeMutableRawBufferPointer(start: ptr, count: size * count))
    }

    static let seek: vq_curl_seek_cb = { context, offset, origin in
        guard offset == 0, origin == SEEK_SET else { return vq_curl_seekfunc_cantseek() }
        transfer(context).rewindBody()
        return vq_curl_seekfunc_ok()
    }

    static let progress: vq_curl_xferinfo_cb = { context, _, downloaded, _, uploaded in
        transfer(context).progress(downloaded: Int64(downloaded), uploaded: Int64(uploaded)) ? 0 : 1
    }
}
