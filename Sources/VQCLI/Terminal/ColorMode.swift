/// `--color auto|always|never`: colour when the stream is a terminal that takes it, always, or never.
public enum ColorMode: String, CaseIterable, Sendable {
    case auto, always, never
}
