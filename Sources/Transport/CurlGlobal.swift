internal import CShims

/// Runs curl_global_init exactly once per process, before the first handle exists.
enum CurlGlobal {
    /// CURLOPT_PROTOCOLS_STR, which keeps transfers to http and https, arrived in libcurl 7.85.0.
    private static let minimumVersion: UInt32 = 0x07_55_00

    private static let initialized: Bool = vq_curl_global_init() == CURLE_OK

    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed")
        precondition(vq_curl_version_num() >= minimumVersion, "vq needs libcurl 7.85.0 or newer")
    }
}
