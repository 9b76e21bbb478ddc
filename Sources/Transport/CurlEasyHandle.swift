internal import CShims

/// Owns one libcurl easy handle and its error buffer; the handle's connection cache outlives `reset()`. Created only
/// once libcurl is loaded (`CurlGlobal.ensureLoaded`).
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() {
        guard let handle = vq_curl_easy_init() else { preconditionFailure("curl_easy_init: out of memory") }
        raw = handle
        let size = vq_curl_error_size()
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        vq_curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Clears every option (keeping cached connections) and re-attaches the error buffer.
    func reset() {
        vq_curl_easy_reset(raw)
        errorBuffer[0] = 0
        check(vq_curl_setopt_ptr(raw, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
    }

    /// libcurl's detailed message for the last failure, or its generic text for `code`.
    func errorMessage(for code: CURLcode) -> String {
        let detailed = String(cString: errorBuffer).trimmingTrailingNewlines()
        return detailed.isEmpty ? String(cString: vq_curl_easy_strerror(code)) : detailed
    }

    func set(_ option: CURLoption, _ value: Int) { check(vq_curl_setopt_long(raw, option, value), option) }
    func set(_ option: CURLoption, offset value: Int) { check(vq_curl_setopt_off(raw, option, curl_off_t(value)), option) }
    /// libcurl copies string options, so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String) { check(value.withCString { vq_curl_setopt_str(raw, option, $0) }, option) }
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) { check(vq_curl_setopt_ptr(raw, option, value), option) }

    func setWriteCallback(_ cb: vq_curl_data_cb, context: UnsafeMutableRawPointer) { check(vq_curl_setopt_write_cb(raw, cb, context), CURLOPT_WRITEFUNCTION) }
    func setHeaderCallback(_ cb: vq_curl_data_cb, context: UnsafeMutableRawPointer) {
        check(vq_curl_setopt_header_cb(raw, cb, context), CURLOPT_HEADERFUNCTION)
    }
    func setReadCallback(_ cb: vq_curl_data_cb, context: UnsafeMutableRawPointer) { check(vq_curl_setopt_read_cb(raw, cb, context), CURLOPT_READFUNCTION) }
    func setSeekCallback(_ cb: vq_curl_seek_cb, context: UnsafeMutableRawPointer) { check(vq_curl_setopt_seek_cb(raw, cb, context), CURLOPT_SEEKFUNCTION) }
    func setProgressCallback(_ cb: vq_curl_xferinfo_cb, context: UnsafeMutableRawPointer) {
        check(vq_curl_setopt_xferinfo_cb(raw, cb, context), CURLOPT_XFERINFOFUNCTION)
    }

    func perform() -> CURLcode { vq_curl_easy_perform(raw) }

    func info(_ info: CURLINFO) -> String? {
        var out: UnsafePointer<CChar>? = nil
        guard vq_curl_getinfo_str(raw, info, &out) == CURLE_OK, let out else { return nil }
        return String(cString: out)
    }

    func info(_ info: CURLINFO) -> Int? {
        var out = 0
        return vq_curl_getinfo_long(raw, info, &out) == CURLE_OK ? out : nil
    }

    /// Options are fixed by this module; a rejected one is a programming error.
    private func check(_ code: CURLcode, _ option: CURLoption) {
        precondition(code == CURLE_OK, "curl_easy_setopt(\(option.rawValue)) failed: \(String(cString: vq_curl_easy_strerror(code)))")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline { s = s.dropLast() }
        return String(s)
    }
}
