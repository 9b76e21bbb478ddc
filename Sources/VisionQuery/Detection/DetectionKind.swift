/// What `vq detect` asks the model for: a box per object (default) or a point per object (`--points`).
public enum DetectionKind: String, Sendable, Equatable {
    case boxes, points
}
