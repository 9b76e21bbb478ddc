import Glibc

/// Starts a detached thread running a closure (what Foundation's `Thread { }.start()` did), and sleeps the calling
/// thread.
public enum BackgroundThread {
    /// Runs `body` on a new thread, with a stack of `stackSize` bytes (nil: the system's default, usually 8 MiB).
    public static func start(stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(run: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        var thread = pthread_t()
        let status = pthread_create(
            &thread, &attributes,
            { pointer in
                let body = Unmanaged<Body>.fromOpaque(pointer!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        pthread_detach(thread)
    }

    /// Blocks the calling thread for `seconds` (nothing for zero or less), resuming after signals.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&remaining, &left) == -1 && errno == EINTR { remaining = left }
    }

    private final class Body {
        let run: @Sendable () -> Void
        init(run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
