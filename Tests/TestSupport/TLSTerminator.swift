import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real TLS server on 127.0.0.1 (OpenSSL) that decrypts each connection and relays it to a plain loopback port,
/// as a TLS-terminating reverse proxy does: put it in front of any stub server to test vq over HTTPS with a CA the
/// test made. With `clientCA` it demands a client certificate signed by that CA (mutual TLS).
public final class TLSTerminator: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let context: OpaquePointer
    private let lock = NSLock()
    private var handshakes = 0
    private var failedHandshakes = 0

    /// `certificate` (a PEM chain) and `key` identify the server; connections go on to 127.0.0.1:`upstreamPort`.
    public init(certificate: String, key: String, upstreamPort: Int, clientCA: String? = nil) throws {
        // OpenSSL writes with write(2), which raises SIGPIPE when a client hangs up (e.g. after refusing the certificate).
        signal(SIGPIPE, SIG_IGN)
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSTerminatorError.openSSL("SSL_CTX_new") }
        self.context = context
        guard SSL_CTX_use_certificate_chain_file(context, certificate) == 1,
            SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1
        else {
            SSL_CTX_free(context)
            throw TLSTerminatorError.openSSL("loading \(certificate) and \(key)")
        }
        if let clientCA {
            guard SSL_CTX_load_verify_locations(context, clientCA, nil) == 1 else {
                SSL_CTX_free(context)
                throw TLSTerminatorError.openSSL("loading \(clientCA)")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
        (listener, port) = try LoopbackSocket.listen()
        LoopbackSocket.acceptLoop(listener, name: "TLSTerminator") { [self] fd in serve(fd, upstreamPort: upstreamPort) }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        SSL_CTX_free(context)
    }

    /// Handshakes that completed, and those that failed (the client refused the certificate, or sent none when one was due).
    public var completedHandshakes: Int { lock.withLock { handshakes } }
    public var refusedHandshakes: Int { lock.withLock { failedHandshakes } }

    private func serve(_ fd: Int32, upstreamPort: Int) {
        defer { close(fd) }
        guard let ssl = SSL_new(context) else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else {
            lock.withLock { failedHandshakes += 1 }
            lingeringClose(fd)
            return
        }
        lock.withLock { handshakes += 1 }
        guard let upstream = LoopbackSocket.connect(port: upstreamPort) else { return }
        defer { close(upstream) }
        relay(ssl, fd: fd, upstream: upstream)
        SSL_shutdown(ssl)
    }

    /// Closes like nginx's lingering close: stop sending, then read until the client hangs up, so the client reads
    /// the alert OpenSSL sent instead of a reset (with TLS 1.3 a client finishes its side of the handshake first).
    private func lingeringClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&entry, 1, 5000) > 0, recv(fd, &buffer, buffer.count, 0) > 0 {}
    }

    /// Decrypted client bytes go upstream, upstream bytes go back encrypted, until either side closes.
    private func relay(_ ssl: OpaquePointer, fd: Int32, upstream: Int32) {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: upstream, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if SSL_pending(ssl) == 0 {
                guard poll(&fds, 2, -1) > 0 else { if errno == EINTR { continue } else { return } }
            } else {
                fds[0].revents = Int16(POLLIN)
                fds[1].revents = 0
            }
            if fds[0].revents != 0 {
                let n = SSL_read(ssl, &buffer, Int32(buffer.count))
                if n <= 0 { return }
                guard SocketIO(fd: upstream).writeAll(Data(buffer[0..<Int(n)])) else { return }
            }
            if fds[1].revents != 0 {
                let n = recv(upstream, &buffer, buffer.count, 0)
                if n <= 0 { return }
                var offset = 0
                while offset < n {
                    let written = buffer[offset..<n].withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
                    if written <= 0 { return }
                    offset += Int(written)
                }
            }
        }
    }
}

/// Why the TLS test server could not start.
public enum TLSTerminatorError: Error, CustomStringConvertible {
    case openSSL(String)
    public var description: String {
        switch self {
        case .openSSL(let what): "OpenSSL failed: \(what)"
        }
    }
}
