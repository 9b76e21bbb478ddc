import FoundationEssentials
import Platform
import Transport

/// `generate_image` and `edit_image`: `vq gen` as tools. The query's `generation` carries the image maker's options;
/// the images to edit and the mask follow the same file rules as `ask`'s inputs; the images made come back inline and,
/// with `[mcp] output_dir`, saved there with their paths.
struct MCPImageTools {
    let exchange: MCPExchange
    let profiles: MCPProfileChoice

    /// The options both tools take, besides the prompt and the profile.
    static let generationArguments: Set<String> = [
        "prompt", "profile", "model", "n", "size", "aspect", "quality", "background", "format", "compression", "moderation",
    ]
    static let editArguments = generationArguments.union(["images", "mask", "fidelity"])

    /// Runs `generate_image` (`editing` false) or `edit_image`; every failure is a tool error with vq's message.
    func call(
        _ values: [String: Any], editing: Bool, call: MCPCall, access: @escaping () throws(VQError) -> MCPFileAccess
    ) -> MCPToolResult {
        let tool = editing ? MCPToolName.editImage.rawValue : MCPToolName.generateImage.rawValue
        let scratch: MCPScratchDirectory
        do { scratch = try MCPScratchDirectory() } catch { return .failure(error.message) }
        defer { scratch.remove() }
        do throws(VQError) {
            let arguments = MCPArguments(tool: tool, values: values)
            try arguments.rejectUnknown(editing ? Self.editArguments : Self.generationArguments)
            let prompt = try arguments.string("prompt", required: true)!
            var options = QueryOptions()
            options.profile = try profiles.choose(arguments.string("profile"))
            options.model = try arguments.string("model")
            var generation = try Self.generation(arguments)
            let files = MCPInputs(tool: tool, access: access, scratch: scratch)
            var images: [String] = []
            if editing {
                images = try files.resolve(arguments.array("images"), argument: "images")
                if images.isEmpty { throw VQError(.usage, "\(tool): 'images' needs at least one image to edit") }
                generation.inputFidelity = try arguments.choice("fidelity", among: ImageGeneration.fidelities)
                if let mask = values["mask"], !(mask is JSONNull) { generation.mask = try files.resolve(mask, argument: "mask") }
            }
            options.generation = generation
            return try exchange.run(options: options, prompt: prompt, inputs: images, call: call, scratch: scratch)
        } catch {
            return .failure(error.message)
        }
    }

    /// The image maker's options from the arguments, checked as `vq gen` checks its flags.
    static func generation(_ arguments: MCPArguments) throws(VQError) -> ImageGeneration {
        var generation = ImageGeneration()
        generation.count = try arguments.whole("n", minimum: ImageGeneration.countRange.lowerBound, maximum: ImageGeneration.countRange.upperBound)
        if let text = try arguments.string("size"), !generation.setSize(text) {
            throw VQError(.usage, "\(arguments.tool): 'size' must be WIDTHxHEIGHT such as 1024x1024, or auto")
        }
        if let text = try arguments.string("aspect") {
            guard let aspect = AspectRatio(parsing: text) else { throw VQError(.usage, "\(arguments.tool): 'aspect' must be W:H such as 16:9") }
            generation.aspect = aspect
        }
        generation.quality = try arguments.choice("quality", among: ImageGeneration.qualities)
        generation.background = try arguments.choice("background", among: ImageGeneration.backgrounds)
        generation.format = try arguments.choice("format", among: ImageGeneration.formats)
        generation.compression = try arguments.whole(
            "compression", minimum: ImageGeneration.compressionRange.lowerBound, maximum: ImageGeneration.compressionRange.upperBound)
        generation.moderation = try arguments.choice("moderation", among: ImageGeneration.moderations)
        if generation.asksTransparentJPEG {
            throw VQError(.usage, "\(arguments.tool): a transparent background needs format png or webp (JPEG has no transparency)")
        }
        return generation
    }
}
