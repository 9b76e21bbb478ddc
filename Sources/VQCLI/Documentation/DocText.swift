/// Prose shared by `--help` and the man page.
enum DocText {
    /// Each example command line, as a user types it, and what it does.
    static let examples: [(String, String)] = [
        ("vq \"What is in this picture?\" photo.jpg", "Ask about one image with the default profile."),
        ("vq -p scaleway -s \"In French\" \"Compare\" a.png b.jpg https://example.org/c.jpg", "Several images, a system prompt, a remote URL."),
        ("curl -s https://example.org/cat.jpg | vq \"Describe\" -", "An image on standard input."),
        ("echo \"What colour is the car?\" | vq car.jpg", "The prompt on standard input."),
        ("vq --json \"Describe\" photo.jpg | jq -r .text", "Machine-readable output."),
        ("vq -c \"And what colour is the car?\"", "A follow-up question: the last conversation's turns and images are sent again."),
        ("vq logs --search car -n 5", "The last five logged exchanges that mention a car."),
        ("vq --dry-run \"Describe\" photo.jpg", "Show the request without sending it."),
        ("vq -p aihubmix \"Colour this drawing in crayon style\" sketch.png -o out/", "Save the images the model returns in out/."),
        ("vq -p masterpiecex \"What can you tell me about these images\" dog.png robot.jpg", "Upload, submit and poll until the answer is ready."),
        (
            "vq batch \"Write alt text\" photos/ --jobs 8 --out alt.jsonl",
            "Describe every image under photos/, eight at a time, one JSON line each in alt.jsonl."
        ),
        ("vq batch \"Write alt text\" photos/ --out alt.jsonl --resume", "After an interruption: answer only the images alt.jsonl does not have yet."),
    ]

    static let configSummary = "$VQ_CONFIG, else $XDG_CONFIG_HOME/vq/config.toml, else ~/.config/vq/config.toml"

    /// The keys of one `vq batch` output line, in order, and what each holds.
    static let keysFile = "$XDG_CONFIG_HOME/vq/keys.toml (else ~/.config/vq/keys.toml)"
    static let keyOrder = "A profile's key comes from, in order: its key_env variable, the keys file, key_cmd, key in the config file."

    static let batchLineFields: [(name: String, meaning: String)] = [
        ("image", "the image's path or URL, as given or as found in a directory"),
        (
            "key",
            "the image's canonical key (its path inside the directory argument, else a normalised path or URL), the same on every node; shards and --resume use it"
        ),
        ("output", "the answer's text (with --schema, the checked object); null when the image failed"),
        ("profile", "the profile the request went to"),
        ("model", "the model that answered"),
        ("finish_reason", "why the answer ended (stop, length), or null"),
        ("usage", "the token counts the service reported, or null"),
        (
            "cost",
            "what the request cost: {\"usd\": dollars, \"prices\": where the prices come from and their date}, or {\"usd\": \"unknown\", \"reason\": why}; null when nothing was sent; with --per-request each line has its share"
        ),
        ("error", "null on success, else the one-line error message"),
        ("saved_images", "paths of the images the model returned, saved in the -o directory"),
        ("attempts", "HTTP attempts made for the image's request (0 when it failed before sending)"),
    ]
}
