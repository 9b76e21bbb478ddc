import Imaging

extension QueryOptions {
    /// Image shrinking for a run: flags over the profile. With a request byte cap, each inline image of a
    /// request gets an equal share of what the prompt and system prompt leave (16 KiB kept for the JSON around them),
    /// unless it is sent as it is (`--no-resize`) to a service that uploads what does not fit.
    public func preparationOptions(profile: Profile, inlineImagesPerRequest: Int, prompt: String) -> PreparationOptions {
        var preparation = PreparationOptions()
        preparation.maxSide = maxSide.map { $0 == 0 ? nil : $0 } ?? profile.maxSide
        preparation.maxPixels = maxPixels.map { $0 == 0 ? nil : $0 } ?? profile.maxPixels
        preparation.resize = resize
        preparation.strip = strip
        preparation.jpegQuality = quality ?? profile.jpegQuality
        var caps = [profile.maxImageBytes].compactMap { $0 }
        // Images sent as they are go up through the Files API when they do not fit (Gemini); shrunk ones share the cap.
        let uploadsInstead = !resize && profile.api.uploadsOverInlineCap
        if let requestCap = profile.maxRequestBytes, inlineImagesPerRequest > 0, !uploadsInstead {
            let room = requestCap - 16 * 1024 - prompt.utf8.count - (system?.utf8.count ?? 0)
            caps.append(max(1, room / inlineImagesPerRequest))
        }
        preparation.maxEncodedBytes = caps.min()
        return preparation
    }
}
