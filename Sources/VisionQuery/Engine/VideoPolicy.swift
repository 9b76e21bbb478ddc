import FoundationEssentials

/// How a run sends videos, decided once from the profile (`video = …`) and its api: whole where the service reads
/// video (Gemini), as a `video_url` part where the profile says so, else as frames sampled by `clip`.
public struct VideoPolicy: Sendable, Equatable {
    public var route: VideoRoute
    /// `--start`, `--end`, `--fps`, `--frames`.
    public var clip: VideoClip
    public var profileName: String

    public init(profile: Profile, options: QueryOptions) throws(VQError) {
        let allowed = profile.api.videoRoutes
        if let chosen = profile.video, !allowed.contains(chosen) {
            let routes = VideoRoute.allCases.filter(allowed.contains).map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw VQError(
                .config, "profile '\(profile.name)': video = \"\(chosen.rawValue)\", but api \(profile.api.rawValue) cannot take it; set video = \(routes)")
        }
        route = profile.video ?? (profile.api.readsNatively(.video) ? .native : .frames)
        clip = options.video
        profileName = profile.name
    }

    /// Whether videos go whole (natively or as `video_url`), not as frames.
    public var sendsWhole: Bool { route != .frames }
}
