internal import CShims
import Dispatch
import FoundationEssentials
import Platform

/// Drives every transfer handed to it on one libcurl multi handle from one thread (curl_multi_perform/poll/info_read),
/// so many requests share connections and HTTP/2 streams. The thread exists only while transfers are in flight.
final class CurlMultiLoop: CurlPerformer, @unchecked Sendable {
    let sharesConnections = true

    /// One submitted transfer and the semaphore its sender waits on.
    private final class Waiter: @unchecked Sendable {
        let handle: CurlEasyHandle
        let done = DispatchSemaphore(value: 0)
        var result = CURLE_OK
        init(_ handle: CurlEasyHandle) { self.handle = handle }
    }

    private let lock = Lock()
    /// The multi handle, made with the first transfer (so a client that never sends does not load libcurl) and
    /// driven by the loop thread only (created under lock).
    private var multi: UnsafeMutableRawPointer?
    /// Submitted, not yet added to the multi handle (guarded by lock).
    private var pending: [Waiter] = []
    /// Whether the loop thread runs (guarded by lock).
    private var looping = false

    deinit { if let multi { _ = vq_curl_multi_cleanup(multi) } }

    /// Hands the handle to the loop thread and blocks until its transfer is done; libcurl is loaded (the handle exists).
    func perform(_ handle: CurlEasyHandle) -> CURLcode {
        let waiter = Waiter(handle)
        lock.withLock {
            let multi = self.multi ?? Self.newMulti()
            self.multi = multi
            pending.append(waiter)
            if looping {
                _ = vq_curl_multi_wakeup(multi)
            } else {
                looping = true
                BackgroundThread.start { [self] in run() }
            }
        }
        waiter.done.wait()
        return waiter.result
    }

    /// The loop: add new transfers, let curl work, finish completed ones, wait for sockets or a wakeup.
    private func run() {
        guard let multi = lock.withLock({ self.multi }) else { preconditionFailure("the multi loop runs without a multi handle") }
        var active: [UnsafeMutableRawPointer: Waiter] = [:]
        while true {
            let added: [Waiter]? = lock.withLock {
                let taken = pending
                pending = []
                if taken.isEmpty && active.isEmpty {
                    looping = false
                    return nil
                }
                return taken
            }
            guard let added else { return }
            for waiter in added {
                let code = vq_curl_multi_add_handle(multi, waiter.handle.raw)
                if code != CURLM_OK {
                    waiter.result = CURLE_FAILED_INIT
                    waiter.done.signal()
                    continue
                }
                active[waiter.handle.raw] = waiter
            }
            var running: Int32 = 0
            _ = vq_curl_multi_perform(multi, &running)
            var easy: UnsafeMutableRawPointer? = nil
            var result = CURLE_OK
            while vq_curl_multi_next_done(multi, &easy, &result) == 1, let finished = easy {
                _ = vq_curl_multi_remove_handle(multi, finished)
                guard let waiter = active.removeValue(forKey: finished) else { preconditionFailure("unknown easy handle finished") }
                waiter.result = result
                waiter.done.signal()
            }
            if active.isEmpty { continue }
            var ready: Int32 = 0
            _ = vq_curl_multi_poll(multi, 1000, &ready)
        }
    }

    /// A multi handle keeping up to 64 connections for reuse.
    private static func newMulti() -> UnsafeMutableRawPointer {
        guard let multi = vq_curl_multi_new() else { preconditionFailure("curl_multi_init: out of memory") }
        _ = vq_curl_multi_set_maxconnects(multi, 64)
        return multi
    }
}
