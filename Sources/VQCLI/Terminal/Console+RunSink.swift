import VisionQuery

/// The console is where `vq`'s runs write: the output policy sets its quiet, verbose and progress switches.
extension Console: RunSink {
    public func apply(_ policy: OutputPolicy) {
        quiet = policy.quiet
        verbose = policy.verbose
        showsProgress = policy.showsProgress
        raw = policy.raw
    }
}
