import VisionQuery

extension QuerySession {
    /// A command's session: warnings to the console, -v lines (and libcurl's redacted log) when `--verbose`.
    init(
        options: QueryOptions, environment: [String: String], stream: Bool, deferKey: Bool = false,
        console: Console
    ) throws(VQError) {
        var log: (@Sendable (String) -> Void)? = nil
        if options.verbose { log = { [console] line in console.debug(line) } }
        try self.init(
            options: options, environment: environment, stream: stream, deferKey: deferKey,
            warn: { [console] message in console.warning(message) }, debug: log)
    }
}
