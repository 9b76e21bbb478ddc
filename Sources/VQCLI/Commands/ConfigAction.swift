/// The actions of `vq config`.
public enum ConfigAction: String, CaseIterable, Sendable { case path, check }
