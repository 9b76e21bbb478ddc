internal import CShims

/// Loads libcurl on first use and runs curl_global_init exactly once per process, before the first handle exists.
enum CurlGlobal {
    /// Why libcurl cannot be used (not installed, too old, failed to start), or nil once it is ready; computed once.
    private static let failure: String? = {
        var message = [CChar](repeating: 0, count: Int(VQ_CURL_MSG_SIZE))
        guard vq_curl_load(&message) != 0 else { return nil }
        return message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }()

    /// Loads libcurl if no transfer has yet; throws `.libraryUnavailable` with the reason when it cannot be.
    static func ensureLoaded() throws(TransportError) {
        if let failure { throw .libraryUnavailable(failure) }
    }
}
