internal import CShims

/// Owns a curl_slist of request header lines; frees it in deinit.
final class CurlHeaderList {
    private(set) var raw: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) {
        for line in lines {
            guard let next = vq_curl_slist_append(raw, line) else { preconditionFailure("curl_slist_append: out of memory") }
            raw = next
        }
    }

    deinit { vq_curl_slist_free_all(raw) }
}
