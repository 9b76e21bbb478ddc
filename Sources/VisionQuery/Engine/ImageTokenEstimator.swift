import FoundationEssentials

/// Input tokens of one image by each provider's published formula (PROVIDERS.md, from the providers' vision guides).
/// The model family decides the formula (a Gemini model behind an OpenAI-style gateway is billed as Gemini);
/// the api is the fallback. Nil when no formula is published.
public enum ImageTokenEstimator {
    public static func estimate(model: String, api: APIKind, width: Int, height: Int, detail: ImageDetail?) -> Int? {
        guard width > 0, height > 0 else { return nil }
        let name = model.lowercased().split(separator: "/").last.map(String.init) ?? ""
        if name.hasPrefix("gemini") || (api == .gemini && !name.hasPrefix("gemma")) { return gemini(width: width, height: height) }
        if name.hasPrefix("claude") || api == .anthropic { return anthropic(width: width, height: height) }
        if name.hasPrefix("pixtral") || name.hasPrefix("mistral") { return mistral(width: width, height: height) }
        if let patch = openAIPatchMultiplier(name) { return openAIPatches(width: width, height: height, multiplier: patch) }
        if let (base, tile) = openAITileCosts(name) {
            return openAITiles(width: width, height: height, base: base, perTile: tile, detail: detail)
        }
        return nil
    }

    /// OpenAI tile models: `low` costs the base; otherwise fit in 2048×2048, short side to 768, 512-px tiles.
    static func openAITiles(width: Int, height: Int, base: Int, perTile: Int, detail: ImageDetail?) -> Int {
        if detail == .low { return base }
        var w = Double(width)
        var h = Double(height)
        if max(w, h) > 2048 {
            let scale = 2048 / max(w, h)
            w *= scale
            h *= scale
        }
        if min(w, h) > 768 {
            let scale = 768 / min(w, h)
            w *= scale
            h *= scale
        }
        let tiles = Int((w / 512).rounded(.up)) * Int((h / 512).rounded(.up))
        return base + perTile * tiles
    }

    /// OpenAI patch models: 32-px patches (scaled down to a budget of 1,536), times the model's multiplier.
    static func openAIPatches(width: Int, height: Int, multiplier: Double) -> Int {
        var w = Double(width)
        var h = Double(height)
        let budget = 1536.0
        if (w / 32).rounded(.up) * (h / 32).rounded(.up) > budget {
            let scale = (budget * 32 * 32 / (w * h)).squareRoot()
            w = (w * scale / 32).rounded(.down) * 32
            h = (h * scale / 32).rounded(.down) * 32
        }
        let patches = min(budget, (w / 32).rounded(.up) * (h / 32).rounded(.up))
        return Int((patches * multiplier).rounded(.up))
    }

    /// Anthropic: about w·h/750.
    static func anthropic(width: Int, height: Int) -> Int { Int((Double(width * height) / 750).rounded(.up)) }

    /// Gemini 2.x: 258 when both sides are at most 384 px, else 258 per 768-px tile of crop unit min(w,h)/1.5.
    static func gemini(width: Int, height: Int) -> Int {
        if width <= 384 && height <= 384 { return 258 }
        let unit = max(256, min(768, Int((Double(min(width, height)) / 1.5).rounded(.down))))
        let tiles = Int((Double(width) / Double(unit)).rounded(.up)) * Int((Double(height) / Double(unit)).rounded(.up))
        return 258 * tiles
    }

    /// Pixtral (Scaleway, Mistral): one token per 16×16 px after fitting in 1024×1024.
    static func mistral(width: Int, height: Int) -> Int {
        var w = Double(width)
        var h = Double(height)
        if max(w, h) > 1024 {
            let scale = 1024 / max(w, h)
            w *= scale
            h *= scale
        }
        return Int((w / 16).rounded(.up)) * Int((h / 16).rounded(.up))
    }

    private static func openAIPatchMultiplier(_ name: String) -> Double? {
        if name.hasPrefix("gpt-4.1-nano") || name.hasPrefix("gpt-5-nano") { return 2.46 }
        if name.hasPrefix("gpt-4.1-mini") || name.hasPrefix("gpt-5-mini") || name.hasPrefix("gpt-5.4-mini") { return 1.62 }
        if name.hasPrefix("o4-mini") { return 1.72 }
        return nil
    }

    private static func openAITileCosts(_ name: String) -> (Int, Int)? {
        if name.hasPrefix("gpt-4o-mini") { return (2833, 5667) }
        if name.hasPrefix("gpt-5") { return (70, 140) }
        if name.hasPrefix("o1") || name.hasPrefix("o3") { return (75, 150) }
        if name.hasPrefix("gpt-4o") || name.hasPrefix("gpt-4.1") || name.hasPrefix("gpt-4.5") || name.hasPrefix("chatgpt-4o") { return (85, 170) }
        return nil
    }
}
