/// The certificates one transfer trusts and presents: a CA bundle (file) or CA directory that replaces the system
/// store, and a client certificate with its key for mutual TLS. Paths are used as given.
public struct TLSSettings: Sendable, Equatable {
    /// PEM file of trusted CAs (CURLOPT_CAINFO); nil keeps libcurl's system bundle.
    public var caBundle: String?
    /// Directory of hashed CA certificates (CURLOPT_CAPATH); nil keeps libcurl's default.
    public var caDirectory: String?
    /// PEM client certificate (CURLOPT_SSLCERT) and its private key (CURLOPT_SSLKEY).
    public var clientCertificate: String?
    public var clientKey: String?

    public init(caBundle: String? = nil, caDirectory: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil) {
        self.caBundle = caBundle
        self.caDirectory = caDirectory
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}
