import VisionQuery

extension QuerySession {
    /// A command's session: warnings to the console, -v lines (and libcurl's redacted log) when `--verbose`.
    /// `config` is the file the command line already read (once per run, `-T` included).
    init(
        options: QueryOptions, config: ConfigFile?, environment: [String: String], stream: Bool, deferKey: Bool = false,
        console: Console
    ) throws(VQError) {
        var log: (@Sendable (String) -> Void)? = nil
        if options.verbose { log = { [console] line in console.debug(line) } }
        try self.init(
            options: options, config: config, environment: environment, stream: stream, deferKey: deferKey,
            warn: { [console] message in console.warning(message) }, debug: log)
    }
}
