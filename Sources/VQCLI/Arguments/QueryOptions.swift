import FoundationEssentials
import Imaging
import TextFormatting
import VisionQuery

/// Reading the typed options of a query (the struct lives in VisionQuery, which the engine shares) from argv.
extension QueryOptions {
    /// The options read from parsed arguments, every value checked.
    init(_ parsed: ParsedArguments) throws(VQError) {
        self.init()
        for option in [OptionName.profile, .model] where parsed.all(option).count > 1 && !OptionTable.severalTargets.contains(parsed.command) {
            throw VQError(.usage, "option '--\(option.rawValue)' given more than once (only 'vq compare' and 'vq eval' ask several)")
        }
        profile = parsed.last(.profile)
        model = parsed.last(.model)
        system = parsed.last(.system)
        if let value = parsed.last(.temperature), Double(value) == nil, value.first?.isLetter == true {
            throw VQError(.usage, "invalid value '\(value)' for '--temperature': expected a number; \(HabitHints.temperatureWord)")
        }
        temperature = try Self.number(parsed.last(.temperature), option: "temperature", range: 0...2)
        topP = try Self.number(parsed.last(.topP), option: "top-p", range: 0...1)
        if let text = parsed.last(.maxTokens) {
            guard let value = Int(text), value > 0 else {
                throw VQError(.usage, "invalid value '\(text)' for '--max-tokens': expected a positive whole number")
            }
            maxTokens = value
        }
        stop = parsed.all(.stop)
        detail = parsed.last(.detail).flatMap(ImageDetail.init(rawValue:))
        stream = !parsed.has(.noStream)
        if let text = parsed.last(.modalities) {
            let values = text.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
            guard !values.isEmpty, values.allSatisfy(Modalities.known.contains) else {
                throw VQError(
                    .usage, "invalid value '\(text)' for '--modalities': expected a comma-separated list of \(Modalities.known.joined(separator: ", "))")
            }
            modalities = values
        }
        messagesFile = parsed.last(.messages)
        conversation = try Self.conversation(parsed)
        if conversation != .none && messagesFile != nil {
            throw VQError(.usage, "'--messages' cannot be used with '-c' or '--conversation' (the conversation comes from the log)")
        }
        log = !parsed.has(.noLog)
        outputDirectory = parsed.last(.outputDir)
        outputFile = parsed.last(.output)
        if outputDirectory != nil && outputFile != nil {
            throw VQError(.usage, "'--output' and '--output-dir' cannot be used together (--output names the file, directory included)")
        }
        if outputDirectory?.isEmpty == true || outputFile?.isEmpty == true {
            throw VQError(.usage, "'--output'/'--output-dir' need a non-empty path")
        }
        json = parsed.has(.json)
        schema = parsed.last(.schema)
        template = parsed.last(.template)
        headers = try parsed.all(.header).map { (text) throws(VQError) -> Header in try Self.header(text) }
        timeout = try Self.number(parsed.last(.timeout), option: "timeout", range: 0.001...(86400 * 7))
        maxSide = try Self.whole(parsed.last(.maxSide), option: "max-side", range: 0...100_000)
        maxPixels = try Self.whole(parsed.last(.maxPixels), option: "max-pixels", range: 0...1_000_000_000)
        resize = !parsed.has(.noResize)
        strip = parsed.has(.strip)
        if !resize && strip { throw VQError(.usage, "'--no-resize' and '--strip' cannot be used together (--strip re-encodes)") }
        if !resize && (maxSide != nil || maxPixels != nil) {
            throw VQError(.usage, "'--no-resize' cannot be used with '--max-side' or '--max-pixels'")
        }
        // vq gen's --quality is the generated image's (GenOptions reads it).
        quality = parsed.command == .gen ? nil : try Self.whole(parsed.last(.quality), option: "quality", range: 1...100)
        stallTimeout = try Self.number(parsed.last(.stallTimeout), option: "stall-timeout", range: 0.001...86400)
        retries = try Self.whole(parsed.last(.retries), option: "retries", range: 0...20)
        retryMaxWait = try Self.number(parsed.last(.retryMaxWait), option: "retry-max-wait", range: 0...86400)
        dryRun = parsed.has(.dryRun)
        countTokens = parsed.has(.countTokens)
        if countTokens && dryRun { throw VQError(.usage, "'--count-tokens' and '--dry-run' cannot be used together (one asks the service, one sends nothing)") }
        if let text = parsed.last(.pages) {
            do throws(PageSelectionError) { pages = try PageSelection(parsing: text) } catch {
                throw VQError(.usage, "invalid value '\(text)' for '--pages': \(error.message)")
            }
        }
        pdf = parsed.last(.pdf).flatMap(DocumentChoice.init(rawValue:)) ?? .auto
        video = try Self.videoClip(parsed)
        clipboard = parsed.has(.clipboard)
        mediaResolution = parsed.last(.mediaResolution).flatMap(MediaResolution.init(rawValue:))
        keepUploads = parsed.has(.keepUploads)
        verbose = parsed.has(.verbose)
        quiet = parsed.has(.quiet)
        raw = parsed.has(.raw)
        if verbose && quiet { throw VQError(.usage, "'--verbose' and '--quiet' cannot be used together") }
        configPath = parsed.last(.config)
        positionals = parsed.positionals
    }

    /// `--frames`, `--fps`, `--start` and `--end`, checked against each other.
    static func videoClip(_ parsed: ParsedArguments) throws(VQError) -> VideoClip {
        var clip = VideoClip()
        clip.frames = try whole(parsed.last(.frames), option: "frames", range: 1...VideoClip.maxFrames)
        clip.fps = try number(parsed.last(.fps), option: "fps", range: 0.001...VideoClip.maxFPS)
        if clip.frames != nil && clip.fps != nil {
            throw VQError(.usage, "'--frames' and '--fps' cannot be used together (one says how many frames, the other how densely)")
        }
        for option in [OptionName.start, .end] {
            guard let text = parsed.last(option) else { continue }
            guard let seconds = VideoTime.seconds(text) else {
                throw VQError(
                    .usage, "invalid value '\(text)' for '--\(option.rawValue)': expected seconds, M:SS or H:MM:SS (e.g. 90, 1:30, 1:02:03.5)")
            }
            if option == .start { clip.start = seconds } else { clip.end = seconds }
        }
        if let start = clip.start, let end = clip.end, end <= start {
            throw VQError(.usage, "'--end' (\(VideoTime.format(end))) must be after '--start' (\(VideoTime.format(start)))")
        }
        return clip
    }

    /// `-c` or `--conversation ID` (not both).
    static func conversation(_ parsed: ParsedArguments) throws(VQError) -> ConversationChoice {
        let id = try conversationID(parsed)
        if parsed.has(.`continue`) {
            if id != nil { throw VQError(.usage, "'-c' and '--conversation' cannot be used together (-c is the most recent one)") }
            return .latest
        }
        return id.map { .id($0) } ?? .none
    }

    /// `--conversation ID`, a positive whole number.
    static func conversationID(_ parsed: ParsedArguments) throws(VQError) -> Int? {
        guard let text = parsed.last(.conversation) else { return nil }
        guard let id = Int(text), id > 0 else {
            throw VQError(.usage, "invalid value '\(text)' for '--conversation': expected a conversation id (a positive whole number, see 'vq logs')")
        }
        return id
    }

    static func whole(_ text: String?, option: String, range: ClosedRange<Int>) throws(VQError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw VQError(.usage, "invalid value '\(text)' for '--\(option)': expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func number(_ text: String?, option: String, range: ClosedRange<Double>) throws(VQError) -> Double? {
        guard let text else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw VQError(.usage, "invalid value '\(text)' for '--\(option)': expected a number")
        }
        guard range.contains(value) else {
            let low = range.lowerBound == 0.001 ? "above 0" : "from \(format(range.lowerBound))"
            throw VQError(.usage, "invalid value '\(text)' for '--\(option)': expected a number \(low) to \(format(range.upperBound))")
        }
        return value
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func header(_ text: String) throws(VQError) -> Header {
        guard let colon = text.firstIndex(of: ":") else {
            throw VQError(.usage, "invalid header '\(text)' for '--header': expected 'Name: value'")
        }
        let name = text[..<colon].trimmingWhitespace()
        let value = text[text.index(after: colon)...].trimmingWhitespace()
        guard HeaderValidation.isValidName(name) else {
            throw VQError(.usage, "invalid header name '\(name)' for '--header'")
        }
        guard HeaderValidation.isValidValue(value) else {
            throw VQError(.usage, "invalid value for header '\(name)': line breaks are not allowed")
        }
        return Header(name: name, value: value)
    }
}
