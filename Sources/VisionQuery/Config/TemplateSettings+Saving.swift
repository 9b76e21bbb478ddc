import FoundationEssentials

extension TemplateSettings {
    /// What a template keeps of a command line (`--save`): the prompt, and every option a template section may hold.
    public init(options: QueryOptions, prompt: String?) {
        self.init()
        self.prompt = prompt
        system = options.system
        schema = options.schema
        profile = options.profile
        model = options.model
        temperature = options.temperature
        topP = options.topP
        maxTokens = options.maxTokens
        stop = options.stop.isEmpty ? nil : options.stop
        detail = options.detail
        modalities = options.modalities
        maxSide = options.maxSide
        maxPixels = options.maxPixels
        quality = options.quality
        timeout = options.timeout
        stallTimeout = options.stallTimeout
        retries = options.retries
        retryMaxWait = options.retryMaxWait
    }

    /// Whether nothing is set: such a template would change nothing.
    public var isEmpty: Bool { self == TemplateSettings() }

    /// The template as the lines of a TOML file, one `key = value` per set key in `knownKeys` order (what `parse`
    /// reads back to the same settings).
    public var tomlLines: [String] {
        func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        func list(_ values: [String]) -> String { "[" + values.map(TOMLText.quoted).joined(separator: ", ") + "]" }
        let values: [String: String?] = [
            "prompt": prompt.map(TOMLText.block), "system": system.map(TOMLText.block), "schema": schema.map(TOMLText.quoted),
            "profile": profile.map(TOMLText.quoted), "model": model.map(TOMLText.quoted), "temperature": temperature.map(number),
            "top_p": topP.map(number), "max_tokens": maxTokens.map(String.init), "stop": stop.map(list),
            "detail": detail.map { TOMLText.quoted($0.rawValue) }, "modalities": modalities.map(list), "max_side": maxSide.map(String.init),
            "max_pixels": maxPixels.map(String.init), "quality": quality.map(String.init), "timeout": timeout.map(number),
            "stall_timeout": stallTimeout.map(number), "retries": retries.map(String.init), "retry_max_wait": retryMaxWait.map(number),
        ]
        precondition(Set(values.keys) == Set(Self.knownKeys), "every template key is written")
        return Self.knownKeys.compactMap { key in values[key]!.map { "\(key) = \($0)" } }
    }
}
