import FoundationEssentials
import Imaging

/// The typed options of a query (shared by `vq batch`), as the command line gave them; unset means the profile decides.
public struct QueryOptions: Equatable, Sendable {
    public var profile: String?
    public var model: String?
    public var system: String?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var stop: [String] = []
    public var detail: ImageDetail?
    public var stream = true
    /// `--modalities`; nil leaves the profile's.
    public var modalities: [String]?
    /// `vq gen`'s options; nil for every other command.
    public var generation: ImageGeneration?
    /// `--messages FILE`: earlier turns of the conversation.
    public var messagesFile: String?
    /// `-c` / `--conversation ID`: the logged conversation to continue.
    public var conversation: ConversationChoice = .none
    /// False with `--no-log`: the exchange is not recorded in the log.
    public var log = true
    public var outputDirectory: String?
    public var outputFile: String?
    public var json = false
    /// `--schema`: a JSON Schema file, inline JSON or the concise form, read when the session starts.
    public var schema: String?
    /// `-T/--template NAME`: a `[templates.NAME]` section filling what the command line leaves unset.
    public var template: String?
    public var headers: [Header] = []
    public var timeout: Double?
    public var maxSide: Int?
    public var maxPixels: Int?
    public var resize = true
    public var strip = false
    public var quality: Int?
    /// `--pages`: the pages of each PDF to send; nil sends them all.
    public var pages: PageSelection?
    /// `--pdf`: how PDFs are sent.
    public var pdf: DocumentChoice = .auto
    /// `--frames`, `--fps`, `--start`, `--end`: which part of each video is sent, and how densely.
    public var video = VideoClip()
    /// `--clipboard`: the clipboard's image is one more input.
    public var clipboard = false
    /// `--media-resolution` (Gemini): tokens spent per image, video frame and PDF page.
    public var mediaResolution: MediaResolution?
    /// `--keep-uploads`: files uploaded to Gemini's Files API stay there (48 hours) for `-c` to reuse.
    public var keepUploads = false
    public var stallTimeout: Double?
    public var retries: Int?
    public var retryMaxWait: Double?
    public var dryRun = false
    /// `--count-tokens`: ask the service for the exact input token count instead of an answer.
    public var countTokens = false
    public var verbose = false
    public var quiet = false
    /// `--raw`: control characters from the model or service reach a terminal as they are.
    public var raw = false
    public var configPath: String?
    /// PROMPT and IMAGE arguments as given; which is the prompt is decided with stdin in view (see PromptSource).
    public var positionals: [String] = []

    /// One `-H 'Name: value'`.
    public struct Header: Equatable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init() {}
}
