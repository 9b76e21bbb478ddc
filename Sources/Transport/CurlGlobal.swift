import CShims

/// Runs curl_global_init exactly once per process, before the first handle exists.
enum CurlGlobal {
    private static let initialized: Bool = vq_curl_global_init() == CURLE_OK

    static func ensureInitialized() {
        precondition(initialized, "curl_global_init failed")
    }

    /// libcurl's version as 0xXXYYZZ.
    static var versionNumber: UInt32 { vq_curl_version_num() }
}
